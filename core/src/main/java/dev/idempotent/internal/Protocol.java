package dev.idempotent.internal;

import dev.idempotent.IdempotencyEvent;
import dev.idempotent.IdempotencyInProgressException;
import dev.idempotent.IdempotencyKeyException;
import dev.idempotent.IdempotencyKeyReuseException;
import dev.idempotent.IdempotencyListener;
import dev.idempotent.IdempotencyStoreException;
import dev.idempotent.InFlight;
import dev.idempotent.Invocation;
import dev.idempotent.KeyScope;
import dev.idempotent.PendingCall;
import dev.idempotent.Ticker;
import dev.idempotent.store.Acquisition;
import dev.idempotent.store.IdempotencyKey;
import dev.idempotent.store.IdempotencyStore;
import dev.idempotent.store.Outcome;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The protocol of one call, as DESIGN.md describes it: compute the key, acquire it, then replay a
 * completed outcome, wait for or reject a running call, or run the body and complete or release the
 * record. Framework-free and thread-safe; one instance per engine.
 */
public final class Protocol implements LeaseKeeper.Registry {
  private static final Logger LOG = LoggerFactory.getLogger(Protocol.class);

  /**
   * The call an interceptor-style adapter ({@link #invoke}) is about to run the body of, on this
   * thread: when that body is the woven advice of the same method (a Guice- or proxy-intercepted
   * instance of a woven class), the advice's {@link #begin(Policy, Object[])} finds its method and
   * arguments here and runs the body directly instead of the protocol again. Only {@code begin}
   * consumes a claim and only {@code invoke} makes one, so a body that calls its own method again
   * (through either kind of adapter) never finds a claim of its own call: the woven advice makes
   * none and clears the outer one while its body runs, and an interceptor never takes one.
   */
  private static final ThreadLocal<LocalCall> CLAIM = new ThreadLocal<>();

  private final IdempotencyStore store;
  private final Ticker ticker;
  private final KeyScope scope;
  private final boolean hashKeys;
  private final IdempotencyListener[] listeners;
  private final boolean listening;
  private final boolean timings;
  private final boolean failOpen;
  private final boolean renewLeases;
  private final long initialBackoffNanos;
  private final long maxBackoffNanos;
  private final ConcurrentHashMap<IdempotencyKey, LocalCall> running = new ConcurrentHashMap<>();
  private volatile boolean watched;
  private volatile boolean closed;

  /**
   * @param store the store
   * @param ticker the time source
   * @param scope the scope supplier, or null
   * @param hashKeys whether key values are replaced by their SHA-256
   * @param listeners the listeners, each guarded on its own
   * @param failOpen whether a store failure runs the body unprotected instead of failing
   * @param renewLeases whether leases of long bodies are renewed
   * @param initialBackoff the first poll interval while waiting on a call in another process
   * @param maxBackoff the longest poll interval
   */
  public Protocol(
      IdempotencyStore store,
      Ticker ticker,
      KeyScope scope,
      boolean hashKeys,
      List<IdempotencyListener> listeners,
      boolean failOpen,
      boolean renewLeases,
      Duration initialBackoff,
      Duration maxBackoff) {
    this.store = store;
    this.ticker = ticker;
    this.scope = scope;
    this.hashKeys = hashKeys;
    this.listeners = listeners.toArray(new IdempotencyListener[0]);
    this.listening = this.listeners.length > 0;
    this.timings = listeners.stream().anyMatch(IdempotencyListener::wantsTimings);
    this.failOpen = failOpen;
    this.renewLeases = renewLeases;
    this.initialBackoffNanos = initialBackoff.toNanos();
    this.maxBackoffNanos = maxBackoff.toNanos();
  }

  /** Runs the body without protection: for a call claimed by an outer adapter, or fail-open. */
  private static final PendingCall UNPROTECTED =
      new PendingCall() {
        @Override
        public Object succeeded(Object result) {
          return result;
        }

        @Override
        public Throwable failed(Throwable exception) {
          return exception;
        }
      };

  /**
   * Runs an {@code @Idempotent} method's call through the protocol, for adapters that intercept a
   * call from outside the method (Guice, proxies): while {@code body} runs, the woven advice of the
   * same method with the same arguments, reached directly, runs the body without running the
   * protocol a second time.
   *
   * @param policy the method's policy
   * @param args the call's arguments
   * @param body runs the original method
   * @return the body's result or the replayed one
   * @throws Throwable what the body threw, a replayed recorded exception, or an {@code
   *     IdempotencyException}
   */
  public Object invoke(Policy policy, Object[] args, Invocation body) throws Throwable {
    return proceed(start(policy, args, args), body);
  }

  /**
   * Runs the body when {@code started} is a {@link PendingCall} and reports its end; otherwise
   * {@code started} is a duplicate's replayed result.
   */
  public static Object proceed(Object started, Invocation body) throws Throwable {
    if (!(started instanceof PendingCall)) {
      return started;
    }
    PendingCall pending = (PendingCall) started;
    Object result;
    try {
      result = body.proceed();
    } catch (Throwable t) {
      throw pending.failed(t);
    }
    return pending.succeeded(result);
  }

  /**
   * The first half of a call, for an adapter that runs the body itself, right around the method's
   * own code (the woven advice): computes the key and acquires it. Returns a duplicate's result
   * (for a {@code CompletionStage} method, a completed or failed stage), throws a duplicate's
   * recorded exception, or returns a {@link PendingCall} when the body is to run. A call that an
   * outer {@link #invoke} of the same method and arguments has just claimed runs unprotected, since
   * the outer adapter runs the protocol.
   */
  public Object begin(Policy policy, Object[] args) throws Throwable {
    if (claimedByOuterAdapter(policy.method, args)) {
      return UNPROTECTED;
    }
    return start(policy, args, null);
  }

  private Object start(Policy policy, Object[] args, Object[] claimArgs) throws Throwable {
    String keyValue = policy.keyFunction.apply(args);
    String fingerprint = policy.fingerprint == null ? null : policy.fingerprint.of(args);
    return begin(policy, keyValue, fingerprint, claimArgs);
  }

  /**
   * {@link #begin(Policy, Object[])} with the key value and fingerprint already computed (the
   * programmatic API).
   *
   * @param claimArgs the arguments, for recognising the same call when the woven advice of the
   *     method runs inside this call's body; null to make no such claim
   */
  public Object begin(Policy policy, String keyValue, String fingerprint, Object[] claimArgs)
      throws Throwable {
    if (closed) {
      throw closedEngine(policy);
    }
    IdempotencyKey key = key(policy, keyValue);
    long waitStarted = 0;
    long deadline = 0;
    for (int attempt = 0; ; attempt++) {
      Acquisition acquisition = acquire(policy, key, fingerprint);
      if (acquisition == null) {
        return UNPROTECTED;
      }
      if (LOG.isDebugEnabled()) {
        LOG.debug("acquire {} key {}: {}", policy.namespace, hash(key), acquisition.status());
      }
      switch (acquisition.status()) {
        case COMPLETED:
          checkPayload(policy, key, fingerprint, acquisition.fingerprint());
          reportWait(policy, key, waitStarted);
          emit(IdempotencyEvent.Type.REPLAYED, policy, key, 0, null);
          return replay(policy, acquisition.outcome());
        case ACQUIRED:
          reportWait(policy, key, waitStarted);
          return register(policy, key, acquisition.token(), claimArgs);
        default:
          checkPayload(policy, key, fingerprint, acquisition.fingerprint());
          if (waitStarted == 0) {
            waitStarted = ticker.read();
            deadline = waitStarted + policy.waitTimeoutNanos;
          }
          awaitTurn(policy, key, deadline, attempt);
      }
    }
  }

  /** The second half of a call whose body returned. */
  Object succeeded(LocalCall call, Object result) {
    CLAIM.set(call.previousClaim);
    if (call.policy.shape != ResultShape.ASYNC || result == null) {
      try {
        complete(call, recordable(call, result));
      } finally {
        unregister(call);
      }
      return result;
    }
    CompletableFuture<Object> recorded = new CompletableFuture<>();
    ((CompletionStage<?>) result)
        .whenComplete(
            (value, failure) -> {
              Throwable cause = failure == null ? null : unwrap(failure);
              try {
                if (cause == null) {
                  complete(call, recordable(call, value));
                } else {
                  finishExceptionally(call, cause);
                }
              } catch (RuntimeException | Error e) {
                LOG.error("Recording the outcome of {} failed", call.policy.namespace, e);
              } finally {
                unregister(call);
              }
              if (cause == null) {
                recorded.complete(value);
              } else {
                recorded.completeExceptionally(cause);
              }
            });
    return recorded;
  }

  /** The second half of a call whose body threw. */
  Throwable failed(LocalCall call, Throwable exception) {
    CLAIM.set(call.previousClaim);
    try {
      finishExceptionally(call, exception);
    } finally {
      unregister(call);
    }
    return exception;
  }

  private IdempotencyKey key(Policy policy, String keyValue) {
    String value = keyValue;
    if (scope != null) {
      String current = scope.current();
      if (current == null || current.isEmpty()) {
        throw new IdempotencyKeyException(
            policy.where
                + ": the engine has a KeyScope, but it returned no scope for this call; the body"
                + " did not run. Call it only where the scope (tenant, principal) is known.");
      }
      value = current.length() + ":" + current + ":" + keyValue;
    }
    if (hashKeys) {
      byte[] digest = ArgumentFingerprint.digest().digest(value.getBytes(StandardCharsets.UTF_8));
      value = Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    }
    return IdempotencyKey.of(policy.namespace, value);
  }

  /** The store's answer, or null when the store failed and the engine fails open. */
  private Acquisition acquire(Policy policy, IdempotencyKey key, String fingerprint) {
    long started = timings ? ticker.read() : 0;
    try {
      Acquisition acquisition = store.acquire(key, fingerprint, policy.lease);
      if (timings) {
        emit(IdempotencyEvent.Type.STORE_ACQUIRE, policy, key, ticker.read() - started, null);
      }
      return acquisition;
    } catch (RuntimeException e) {
      emit(IdempotencyEvent.Type.STORE_FAILURE, policy, key, 0, e);
      if (failOpen) {
        LOG.warn(
            "Store failed to acquire a key of {} (key {}); running the body unprotected because"
                + " the engine fails open",
            policy.namespace,
            hash(key),
            e);
        emit(IdempotencyEvent.Type.FAIL_OPEN, policy, key, 0, e);
        return null;
      }
      LOG.warn("Store failed to acquire a key of {} (key {})", policy.namespace, hash(key), e);
      throw new IdempotencyStoreException(
          policy.where
              + ": the store failed to acquire the key, so the body did not run (the engine fails"
              + " closed). Retry when the store is back: "
              + e,
          e);
    }
  }

  private void checkPayload(
      Policy policy, IdempotencyKey key, String fingerprint, String storedFingerprint) {
    if (fingerprint == null || storedFingerprint == null || fingerprint.equals(storedFingerprint)) {
      return;
    }
    emit(IdempotencyEvent.Type.KEY_REUSE, policy, key, 0, null);
    throw new IdempotencyKeyReuseException(
        policy.where
            + ": the key of namespace '"
            + policy.namespace
            + "' was used before with different arguments. An idempotency key names one request;"
            + " send a new key for a new request.");
  }

  private void awaitTurn(Policy policy, IdempotencyKey key, long deadline, int attempt) {
    LocalCall local = running.get(key);
    if (local != null && local.owner == Thread.currentThread()) {
      emit(IdempotencyEvent.Type.REJECTED, policy, key, 0, null);
      throw new IdempotencyInProgressException(
          policy.where
              + ": re-entrant call: this thread is already running the call with this key, so"
              + " waiting for it would never end. Do not call an @Idempotent method again with the"
              + " same key from inside its own body.");
    }
    if (policy.inFlight == InFlight.REJECT) {
      emit(IdempotencyEvent.Type.REJECTED, policy, key, 0, null);
      throw new IdempotencyInProgressException(
          policy.where
              + ": a call with the same key is still running (onInFlight = REJECT); retry later"
              + " to receive its outcome.");
    }
    long remaining = deadline - ticker.read();
    if (remaining <= 0) {
      emit(IdempotencyEvent.Type.REJECTED, policy, key, 0, null);
      throw new IdempotencyInProgressException(
          policy.where
              + ": a call with the same key is still running after waiting "
              + Durations.format(policy.waitTimeout)
              + " (waitTimeout); retry later to receive its outcome, or raise waitTimeout.");
    }
    if (local != null) {
      try {
        local.awaitFinish(remaining);
      } catch (TimeoutException e) {
        // the caller reads the store again, and the next turn checks the deadline
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw interrupted(policy);
      }
    } else {
      long backoff = Math.min(maxBackoffNanos, initialBackoffNanos << Math.min(attempt, 20));
      LockSupport.parkNanos(Math.min(backoff, remaining));
      if (Thread.currentThread().isInterrupted()) {
        throw interrupted(policy);
      }
    }
  }

  private static IdempotencyInProgressException interrupted(Policy policy) {
    return new IdempotencyInProgressException(
        policy.where + ": interrupted while waiting for a running call with the same key.");
  }

  private void reportWait(Policy policy, IdempotencyKey key, long waitStarted) {
    if (waitStarted != 0) {
      emit(IdempotencyEvent.Type.WAITED, policy, key, ticker.read() - waitStarted, null);
    }
  }

  private static Throwable unwrap(Throwable failure) {
    return failure instanceof CompletionException && failure.getCause() != null
        ? failure.getCause()
        : failure;
  }

  private LocalCall register(Policy policy, IdempotencyKey key, String token, Object[] claimArgs) {
    Thread owner = policy.shape == ResultShape.ASYNC ? null : Thread.currentThread();
    LocalCall call = new LocalCall(this, key, token, policy, owner, claimArgs, CLAIM.get());
    running.put(key, call);
    // The map entry is written before watched is read, and the keeper clears watched before it
    // reads the map when it lets an idle engine go: one of the two sees the other.
    if (renewLeases && !watched) {
      watched = true;
      LeaseKeeper.watch(this);
    }
    CLAIM.set(call.claimArgs == null ? null : call);
    return call;
  }

  private void unregister(LocalCall call) {
    running.remove(call.key, call);
    call.finish();
  }

  private static boolean claimedByOuterAdapter(Method method, Object[] args) {
    LocalCall claim = CLAIM.get();
    if (claim == null || !claim.policy.method.equals(method)) {
      return false;
    }
    Object[] claimedArgs = claim.claimArgs;
    if (claimedArgs.length != args.length) {
      return false;
    }
    for (int i = 0; i < args.length; i++) {
      if (claimedArgs[i] != args[i] && !sameBoxedPrimitive(claimedArgs[i], args[i])) {
        return false;
      }
    }
    CLAIM.set(null);
    return true;
  }

  /**
   * Whether two arguments are the same primitive value boxed twice: each adapter boxes a primitive
   * argument on its own, and boxes of larger values are distinct objects.
   */
  private static boolean sameBoxedPrimitive(Object a, Object b) {
    return a != null
        && b != null
        && a.getClass() == b.getClass()
        && (a instanceof Number || a instanceof Character || a instanceof Boolean)
        && a.getClass().getName().startsWith("java.lang.")
        && a.equals(b);
  }

  /**
   * The outcome to store for a returned result, in the form the store keeps. A result the codec
   * cannot write is recorded as not recordable, so that no duplicate runs the body again: they get
   * {@code IdempotencyOutcomeNotRecordedException} until the record's ttl ends.
   */
  private Outcome recordable(LocalCall call, Object result) {
    Policy policy = call.policy;
    if (policy.codec == null) {
      return Outcome.returned(result);
    }
    Object content = result;
    if (policy.shape == ResultShape.OPTIONAL) {
      content = result == null ? null : ((Optional<?>) result).orElse(null);
    }
    try {
      return policy.codec.encodeValue(content);
    } catch (Exception e) {
      emit(IdempotencyEvent.Type.STORE_FAILURE, policy, call.key, 0, e);
      LOG.error(
          "The result of {} (key {}) cannot be recorded: the codec failed to write it. The caller"
              + " gets its result; duplicates get IdempotencyOutcomeNotRecordedException until"
              + " the ttl ends, and never run the body again. Make the result type writable.",
          policy.namespace,
          hash(call.key),
          e);
      return policy.codec.encodeUnrecordable(content);
    }
  }

  private void finishExceptionally(LocalCall call, Throwable t) {
    Policy policy = call.policy;
    IdempotencyKey key = call.key;
    if (policy.records(t)) {
      complete(call, policy.codec == null ? Outcome.thrown(t) : policy.codec.encodeException(t));
      return;
    }
    long started = timings ? ticker.read() : 0;
    try {
      store.release(key, call.token);
      if (timings) {
        emit(IdempotencyEvent.Type.STORE_RELEASE, policy, key, ticker.read() - started, null);
      }
      emit(IdempotencyEvent.Type.EXECUTED, policy, key, 0, null);
    } catch (RuntimeException e) {
      emit(IdempotencyEvent.Type.STORE_FAILURE, policy, key, 0, e);
      LOG.warn(
          "Store failed to release a key of {} (key {}) after the body threw; the next call waits"
              + " until the lease ends",
          policy.namespace,
          hash(key),
          e);
      t.addSuppressed(e);
    }
  }

  private void complete(LocalCall call, Outcome outcome) {
    Policy policy = call.policy;
    IdempotencyKey key = call.key;
    long started = timings ? ticker.read() : 0;
    boolean written;
    try {
      written = store.complete(key, call.token, outcome, policy.ttl);
    } catch (RuntimeException e) {
      emit(IdempotencyEvent.Type.STORE_FAILURE, policy, key, 0, e);
      LOG.error(
          "Store failed to complete a key of {} (key {}) after the body ran; its result is"
              + " returned, but a retry after the lease ends runs the body again",
          policy.namespace,
          hash(key),
          e);
      return;
    }
    if (timings) {
      emit(IdempotencyEvent.Type.STORE_COMPLETE, policy, key, ticker.read() - started, null);
    }
    if (written) {
      emit(IdempotencyEvent.Type.EXECUTED, policy, key, 0, null);
    } else {
      emit(IdempotencyEvent.Type.STALE_COMPLETION, policy, key, 0, null);
      LOG.warn(
          "A call of {} (key {}) finished after its lease was taken over; its outcome was not"
              + " written. The body ran longer than its lease ({}) and renewal did not keep it.",
          policy.namespace,
          hash(key),
          Durations.format(policy.lease));
    }
  }

  private static Object replay(Policy policy, Outcome stored) throws Throwable {
    if (policy.shape == ResultShape.ASYNC) {
      try {
        return CompletableFuture.completedFuture(replayValue(policy, stored));
      } catch (Throwable t) {
        return CompletableFuture.failedFuture(t);
      }
    }
    return replayValue(policy, stored);
  }

  private static Object replayValue(Policy policy, Outcome stored) throws Throwable {
    Outcome outcome = policy.codec == null ? stored : policy.codec.decode(stored);
    if (outcome.form() == Outcome.Form.THREW) {
      throw outcome.exception();
    }
    Object value = outcome.value();
    if (policy.codec != null && policy.shape == ResultShape.OPTIONAL) {
      return Optional.ofNullable(value);
    }
    return value;
  }

  private void emit(
      IdempotencyEvent.Type type,
      Policy policy,
      IdempotencyKey key,
      long durationNanos,
      Throwable failure) {
    if (LOG.isDebugEnabled()) {
      LOG.debug("{} {} key {}", type, policy.namespace, hash(key));
    }
    if (!listening) {
      return;
    }
    IdempotencyEvent event =
        new IdempotencyEvent(type, policy.namespace, key.value(), durationNanos, failure);
    boolean timing = type.isStoreTiming();
    for (IdempotencyListener listener : listeners) {
      if (timing && !listener.wantsTimings()) {
        continue;
      }
      try {
        listener.onEvent(event);
      } catch (RuntimeException e) {
        LOG.warn("IdempotencyListener {} threw on {}; the call goes on", listener, type, e);
      }
    }
  }

  private static String hash(IdempotencyKey key) {
    return new IdempotencyEvent(
            IdempotencyEvent.Type.EXECUTED, key.namespace(), key.value(), 0, null)
        .keyHash();
  }

  /**
   * Refuses calls from now on and stops taking part in lease renewal: the keeper thread ends when
   * no other open engine needs it. Calls already running finish; their leases are no longer
   * renewed. Idempotent.
   */
  public void close() {
    closed = true;
    LeaseKeeper.unwatch(this);
  }

  @Override
  public boolean isClosed() {
    return closed;
  }

  @Override
  public void released() {
    watched = false;
  }

  private IllegalStateException closedEngine(Policy policy) {
    return new IllegalStateException(
        policy.where
            + ": the IdempotencyEngine (store "
            + store
            + ") is closed, so the body did not run. Something still calls through an engine whose"
            + " application stopped: close the adapter first (IdempotentAspect's Registration,"
            + " the application context or injector), or give it an open engine.");
  }

  @Override
  public Collection<LocalCall> running() {
    return running.values();
  }

  @Override
  public IdempotencyStore store() {
    return store;
  }

  @Override
  public Ticker ticker() {
    return ticker;
  }

  @Override
  public void leaseLost(LocalCall call) {
    LOG.warn(
        "The lease of a running call of {} (key {}) was taken over before it could be renewed;"
            + " its outcome will not be written",
        call.policy.namespace,
        hash(call.key));
  }

  @Override
  public void renewalFailed(LocalCall call, RuntimeException failure) {
    emit(IdempotencyEvent.Type.STORE_FAILURE, call.policy, call.key, 0, failure);
    LOG.warn(
        "Store failed to renew the lease of a running call of {} (key {})",
        call.policy.namespace,
        hash(call.key),
        failure);
  }
}
