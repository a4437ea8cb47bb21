package dev.idempotent.internal;

import static dev.idempotent.internal.Events.keyHash;

import dev.idempotent.IdempotencyEvent;
import dev.idempotent.IdempotencyKeyReuseException;
import dev.idempotent.Invocation;
import dev.idempotent.PendingCall;
import dev.idempotent.store.Acquisition;
import dev.idempotent.store.IdempotencyKey;
import dev.idempotent.store.IdempotencyStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The protocol of one call, as DESIGN.md describes it, step by step: (1) build the key ({@link
 * KeyBuilder}), (2) acquire it ({@link StoreSteps#acquire}), then (3) replay a completed outcome
 * ({@link ResultHandler#replay}), wait for or reject a running call ({@link InFlightWait}), or (4)
 * run the body and (5) complete or release the record ({@link StoreSteps}). Events go out through
 * {@link Events}; calls running in this JVM are kept in {@link RunningCalls}. Framework-free and
 * thread-safe; one instance per engine.
 */
public final class Protocol {
  private static final Logger LOG = LoggerFactory.getLogger(Protocol.class);

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

  private final IdempotencyStore store;
  private final Events events;
  private final KeyBuilder keys;
  private final StoreSteps steps;
  private final InFlightWait inFlight;
  private final RunningCalls running;

  /** The store's records when they are in this JVM in {@link LocalRecords}' form, else null. */
  private final LocalRecords local;

  /**
   * @param settings the engine's settings
   */
  public Protocol(EngineSettings settings) {
    this.store = settings.store();
    this.events = new Events(settings.listeners());
    this.keys = new KeyBuilder(settings.scope(), settings.hashKeys());
    this.steps = new StoreSteps(store, settings.ticker(), events, settings.failOpen());
    this.inFlight =
        new InFlightWait(
            settings.ticker(), events, settings.initialBackoff(), settings.maxBackoff());
    this.running = new RunningCalls(store, settings.ticker(), events, settings.renewLeases());
    this.local = LocalRecords.of(store);
  }

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
    return proceed(begin(policy, policy.keyOf(args), policy.fingerprint, args, null, args), body);
  }

  /**
   * Runs the body when {@code started} is a {@link PendingCall} and reports its end; otherwise
   * {@code started} is a duplicate's replayed result.
   *
   * @param started what {@code begin} returned
   * @param body runs the body
   * @return the body's result, or {@code started} itself for a duplicate
   * @throws Throwable what the body threw
   */
  public static Object proceed(Object started, Invocation body) throws Throwable {
    if (!(started instanceof PendingCall pending)) {
      return started;
    }
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
   *
   * @throws Throwable a duplicate's recorded exception, or an {@code IdempotencyException}
   */
  public Object begin(Policy policy, Object[] args) throws Throwable {
    if (AdapterClaim.takenByOuterAdapter(policy.method, args)) {
      return UNPROTECTED;
    }
    return begin(policy, policy.keyOf(args), policy.fingerprint, args, null, null);
  }

  /**
   * {@link #begin(Policy, Object[])} with the key value already computed (the programmatic API).
   *
   * @param fingerprint the fingerprint of the payload's class, or null when the payload is not
   *     checked or {@code givenFingerprint} is
   * @param payload the payload, fingerprinted by {@code fingerprint}
   * @param givenFingerprint a fingerprint the caller computed itself, or null
   * @throws Throwable a duplicate's recorded exception, or an {@code IdempotencyException}
   */
  public Object begin(
      Policy policy,
      String keyValue,
      ArgumentFingerprint fingerprint,
      Object payload,
      String givenFingerprint)
      throws Throwable {
    Object[] fingerprinted = fingerprint == null ? null : new Object[] {payload};
    return begin(policy, keyValue, fingerprint, fingerprinted, givenFingerprint, null);
  }

  /**
   * Steps 1 to 3 of one call. The fingerprint is computed in the form the store keeps: for records
   * in this JVM ({@link LocalRecords}) the keyed hash, which the lookup compares without building a
   * key, an answer or an outcome object; for any other store the SHA-256 text.
   *
   * @param fingerprint fingerprints {@code fingerprinted}; null when it is not checked
   * @param givenFingerprint a fingerprint the caller computed, or null
   * @param claimArgs the arguments, for recognising the same call when the woven advice of the
   *     method runs inside this call's body; null to make no such claim
   */
  private Object begin(
      Policy policy,
      String keyValue,
      ArgumentFingerprint fingerprint,
      Object[] fingerprinted,
      String givenFingerprint,
      Object[] claimArgs)
      throws Throwable {
    if (local != null) {
      boolean checked = fingerprint != null || givenFingerprint != null;
      long hash =
          fingerprint != null
              ? fingerprint.local(fingerprinted)
              : givenFingerprint != null ? LocalHash.of(givenFingerprint) : 0;
      requireOpen(policy);
      return beginLocal(
          ThisThread.get().probe, policy, keys.value(policy, keyValue), checked, hash, claimArgs);
    }
    String text = fingerprint != null ? fingerprint.of(fingerprinted) : givenFingerprint;
    requireOpen(policy);
    return beginShared(policy, keys.key(policy, keyValue), text, claimArgs);
  }

  /** Steps 2 and 3 on records in this JVM. */
  private Object beginLocal(
      LocalRecords.Probe probe,
      Policy policy,
      String value,
      boolean checked,
      long fingerprint,
      Object[] claimArgs)
      throws Throwable {
    IdempotencyKey key = null;
    long waitStarted = 0;
    long deadline = 0;
    for (int attempt = 0; ; attempt++) {
      probe.namespace = policy.namespace;
      probe.value = value;
      int found = steps.acquireLocal(local, policy, probe, checked, fingerprint);
      LocalRecords.Record record = probe.record;
      Object state = probe.state;
      probe.clear();
      if (found < 0) {
        return UNPROTECTED;
      }
      boolean differs =
          found != LocalRecords.ACQUIRED
              && LocalRecords.fingerprintDiffers(record, checked, fingerprint);
      if (found == LocalRecords.COMPLETED && !differs) {
        if (waitStarted != 0 || events.active()) {
          key = key != null ? key : keys.keyOf(policy, value);
          inFlight.reportWait(policy, key, waitStarted);
          events.emit(IdempotencyEvent.Type.REPLAYED, policy, key);
        }
        return LocalRecords.isRecorded(state)
            ? policy.results.replay(policy, LocalRecords.recordedOutcome(state))
            : policy.results.replayKept(LocalRecords.returnedValue(state));
      }
      key = key != null ? key : keys.keyOf(policy, value);
      if (found == LocalRecords.ACQUIRED) {
        inFlight.reportWait(policy, key, waitStarted);
        return start(policy, key, LocalRecords.token(state), claimArgs);
      }
      if (differs) {
        throw keyReuse(policy, key);
      }
      if (waitStarted == 0) {
        waitStarted = inFlight.now();
        deadline = waitStarted + policy.waitTimeoutNanos;
      }
      inFlight.awaitTurn(policy, key, running.get(key), deadline, attempt);
    }
  }

  /** Steps 2 and 3 on any other store, through its SPI. */
  private Object beginShared(
      Policy policy, IdempotencyKey key, String fingerprint, Object[] claimArgs) throws Throwable {
    long waitStarted = 0;
    long deadline = 0;
    for (int attempt = 0; ; attempt++) {
      Acquisition acquisition = steps.acquire(policy, key, fingerprint);
      if (acquisition == null) {
        return UNPROTECTED;
      }
      if (LOG.isDebugEnabled()) {
        LOG.debug("acquire {} key {}: {}", policy.namespace, keyHash(key), acquisition.status());
      }
      if (acquisition instanceof Acquisition.Acquired acquired) {
        inFlight.reportWait(policy, key, waitStarted);
        return start(policy, key, acquired.token(), claimArgs);
      }
      checkPayload(policy, key, fingerprint, acquisition.fingerprint());
      if (acquisition instanceof Acquisition.Completed completed) {
        inFlight.reportWait(policy, key, waitStarted);
        events.emit(IdempotencyEvent.Type.REPLAYED, policy, key);
        return policy.results.replay(policy, completed.outcome());
      }
      if (waitStarted == 0) {
        waitStarted = inFlight.now();
        deadline = waitStarted + policy.waitTimeoutNanos;
      }
      inFlight.awaitTurn(policy, key, running.get(key), deadline, attempt);
    }
  }

  /** Step 4: the call holds the key; its adapter runs the body and reports the end to it. */
  private LocalCall start(Policy policy, IdempotencyKey key, String token, Object[] claimArgs) {
    Thread owner = policy.results.runsOnCallingThread() ? Thread.currentThread() : null;
    LocalCall call =
        new LocalCall(this, key, token, policy, owner, claimArgs, AdapterClaim.current());
    running.add(call);
    AdapterClaim.set(call.claimArgs == null ? null : call);
    return call;
  }

  /** Step 5, the body returned: the result handler decides when the record completes. */
  Object succeeded(LocalCall call, Object result) {
    AdapterClaim.set(call.previousClaim);
    return call.policy.results.returned(this, call, result);
  }

  /** Step 5, the body threw. */
  Throwable failed(LocalCall call, Throwable exception) {
    AdapterClaim.set(call.previousClaim);
    recordThrown(call, exception);
    return exception;
  }

  /** Completes the record with a returned result and lets the key's local duplicates go. */
  void recordReturned(LocalCall call, Object result) {
    try {
      steps.completeReturned(call, result);
    } finally {
      running.remove(call);
    }
  }

  /** Records or releases after a thrown exception and lets the key's local duplicates go. */
  void recordThrown(LocalCall call, Throwable exception) {
    try {
      steps.completeThrown(call, exception);
    } finally {
      running.remove(call);
    }
  }

  private void checkPayload(
      Policy policy, IdempotencyKey key, String fingerprint, String storedFingerprint) {
    if (fingerprint == null || storedFingerprint == null || fingerprint.equals(storedFingerprint)) {
      return;
    }
    throw keyReuse(policy, key);
  }

  private IdempotencyKeyReuseException keyReuse(Policy policy, IdempotencyKey key) {
    events.emit(IdempotencyEvent.Type.KEY_REUSE, policy, key);
    return new IdempotencyKeyReuseException(
        policy.where
            + ": the key of namespace '"
            + policy.namespace
            + "' was used before with different arguments. An idempotency key names one request;"
            + " send a new key for a new request.");
  }

  /**
   * Refuses calls from now on and stops taking part in lease renewal: the keeper thread ends when
   * no other open engine needs it. Calls already running finish; their leases are no longer
   * renewed. Idempotent.
   */
  public void close() {
    running.close();
  }

  /**
   * Whether {@link #close()} was called.
   *
   * @return true once calls are refused
   */
  public boolean isClosed() {
    return running.isClosed();
  }

  private void requireOpen(Policy policy) {
    if (running.isClosed()) {
      throw closedEngine(policy);
    }
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
}
