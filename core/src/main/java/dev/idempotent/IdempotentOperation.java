package dev.idempotent;

import dev.idempotent.internal.OperationCalls;
import dev.idempotent.internal.Protocol;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * A named operation protected without an annotation: the programmatic form of {@link Idempotent},
 * sharing the engine and store of the annotated methods. Build it once and keep it; each {@code
 * execute} runs the protocol for one key. Immutable and thread-safe.
 *
 * @param <T> the result type
 */
public final class IdempotentOperation<T> {
  private final String namespace;
  private final OperationCalls calls;

  private IdempotentOperation(String namespace, OperationCalls calls) {
    this.namespace = namespace;
    this.calls = calls;
  }

  /**
   * Runs {@code body} once for {@code key}; a duplicate gets the first call's outcome.
   *
   * @param key the idempotency key, e.g. a client's Idempotency-Key header; not null, well-formed
   *     Unicode (a key with an unpaired surrogate is an {@link IdempotencyKeyException}, since
   *     UTF-8 would make it the same record as the key with {@code '?'} in its place)
   * @param body computes the result
   * @return the result of the first call with this key
   * @throws IdempotencyException as {@link IdempotencyEngine#invoke} does
   * @throws IllegalStateException when the engine is closed (the body did not run)
   */
  @SuppressWarnings("unchecked")
  public T execute(String key, Supplier<? extends T> body) {
    return (T) run(false, key, null, body);
  }

  /**
   * Runs {@code body} once for {@code key}, checking that a duplicate carries the same payload: the
   * same key with a different payload throws {@link IdempotencyKeyReuseException}.
   *
   * @param key the idempotency key; not null, well-formed Unicode
   * @param payload what the request carries (a record, a bean, a map), fingerprinted as canonical
   *     JSON; not null
   * @param body computes the result
   */
  @SuppressWarnings("unchecked")
  public T execute(String key, Object payload, Supplier<? extends T> body) {
    Objects.requireNonNull(payload, "payload");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(body, "body");
    Object started;
    try {
      started = calls.begin(false, key, payload);
    } catch (IdempotencyDefinitionException e) {
      throw new IdempotencyDefinitionException(
          "operation '"
              + namespace
              + "': the payload of type "
              + payload.getClass().getName()
              + " cannot be written as JSON for its fingerprint; pass a payload with JSON"
              + " properties (a record, a bean, a map), or call execute(key, body) without one.",
          e.getCause());
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable checked) {
      throw checkedFromSupplier(checked);
    }
    return (T) proceed(started, body);
  }

  /**
   * The asynchronous form: the record completes when the stage does, and a failed stage releases
   * the key (unless its exception is recorded). A duplicate of a call running in this JVM waits
   * without blocking.
   *
   * @param key the idempotency key; not null, well-formed Unicode
   * @param body starts the work
   */
  @SuppressWarnings("unchecked")
  public CompletableFuture<T> executeAsync(
      String key, Supplier<? extends CompletionStage<? extends T>> body) {
    Object stage = run(true, key, null, body);
    return stage == null
        ? CompletableFuture.completedFuture(null)
        : (CompletableFuture<T>) ((CompletionStage<?>) stage).toCompletableFuture();
  }

  /**
   * The first half of {@link #execute(String, Supplier)}, for adapters whose body does not fit in a
   * lambda, such as a request filter that lets the request through and a response filter that sees
   * how it ended. Acquires the key and returns either the first call's result (a duplicate: the
   * body must not run) or a {@link PendingCall} (the body must run, and the caller reports its end
   * exactly once with {@link PendingCall#succeeded} or {@link PendingCall#failed}).
   *
   * <pre>{@code
   * Object started = operation.begin(key, fingerprint);
   * if (started instanceof PendingCall pending) {
   *   // run the body, then pending.succeeded(result) or pending.failed(exception)
   * } else {
   *   T replayed = (T) started;
   * }
   * }</pre>
   *
   * @param key the idempotency key; not null
   * @param fingerprint what identifies the request's payload, computed by the caller (for example a
   *     digest of its bytes); a duplicate whose fingerprint differs throws {@link
   *     IdempotencyKeyReuseException}; null for no check
   * @return the first call's result, or a {@link PendingCall}
   * @throws IdempotencyInProgressException when a call with this key is still running and waiting
   *     is not allowed or timed out
   * @throws IdempotencyKeyReuseException when the key was used with another fingerprint
   * @throws IdempotencyStoreException when the store failed and the engine fails closed
   */
  public Object begin(String key, String fingerprint) {
    Objects.requireNonNull(key, "key");
    try {
      return calls.beginWithFingerprint(key, fingerprint);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable recorded) {
      throw new IllegalStateException(
          "operation '"
              + namespace
              + "': a recorded exception was replayed through begin; operations used with begin"
              + " record no exceptions",
          recorded);
    }
  }

  /** The namespace of this operation's keys. */
  public String namespace() {
    return namespace;
  }

  private Object run(boolean stage, String key, Object payload, Supplier<?> body) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(body, "body");
    Object started;
    try {
      started = calls.begin(stage, key, payload);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable checked) {
      throw checkedFromSupplier(checked);
    }
    return proceed(started, body);
  }

  /** Runs the body of a call {@code begin} started, or hands back a duplicate's result. */
  private static Object proceed(Object started, Supplier<?> body) {
    try {
      return Protocol.proceed(started, body::get);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable checked) {
      throw checkedFromSupplier(checked);
    }
  }

  private static IllegalStateException checkedFromSupplier(Throwable checked) {
    return new IllegalStateException("a Supplier cannot throw a checked exception", checked);
  }

  /**
   * Settings for an {@link IdempotentOperation}. Not thread-safe; the operation it builds is.
   *
   * @param <T> the result type
   */
  public static final class Builder<T> {
    private final IdempotencyEngine engine;
    private final String namespace;
    private final Type resultType;
    private Duration ttl;
    private Duration lease;
    private Duration waitTimeout;
    private InFlight inFlight = InFlight.WAIT;
    private List<Class<? extends Throwable>> recorded = List.of();

    Builder(IdempotencyEngine engine, String namespace, Type resultType) {
      this.engine = engine;
      this.namespace = namespace;
      this.resultType = Objects.requireNonNull(resultType, "resultType");
    }

    /**
     * How long a completed outcome is replayed; default: the engine's default ttl.
     *
     * @return this builder
     * @throws NullPointerException when {@code ttl} is null
     * @throws IdempotencyDefinitionException when {@code ttl} is zero or negative
     */
    public Builder<T> ttl(Duration ttl) {
      this.ttl = positive("ttl", ttl);
      return this;
    }

    /**
     * How long an unfinished call holds its key; default: the engine's default lease.
     *
     * @return this builder
     * @throws NullPointerException when {@code lease} is null
     * @throws IdempotencyDefinitionException when {@code lease} is zero or negative
     */
    public Builder<T> lease(Duration lease) {
      this.lease = positive("lease", lease);
      return this;
    }

    /**
     * The longest wait for a running call; default: the engine's default wait timeout.
     *
     * @return this builder
     * @throws NullPointerException when {@code waitTimeout} is null
     * @throws IdempotencyDefinitionException when {@code waitTimeout} is zero or negative
     */
    public Builder<T> waitTimeout(Duration waitTimeout) {
      this.waitTimeout = positive("waitTimeout", waitTimeout);
      return this;
    }

    /**
     * What a duplicate does while the first call runs; default {@link InFlight#WAIT}.
     *
     * @return this builder
     * @throws NullPointerException when {@code inFlight} is null
     */
    public Builder<T> onInFlight(InFlight inFlight) {
      this.inFlight = Objects.requireNonNull(inFlight, "inFlight");
      return this;
    }

    /**
     * Exception types recorded and replayed like values; default none. Whether a store that
     * serializes outcomes can throw each type again is checked by {@link #build()}.
     *
     * @return this builder
     * @throws NullPointerException when the array or one of its types is null
     */
    @SafeVarargs
    public final Builder<T> recordExceptions(Class<? extends Throwable>... types) {
      List<Class<? extends Throwable>> copy = new ArrayList<>(types.length);
      for (Class<? extends Throwable> type : types) {
        copy.add(Objects.requireNonNull(type, "recordExceptions type"));
      }
      this.recorded = List.copyOf(copy);
      return this;
    }

    /**
     * Builds the operation.
     *
     * @throws IdempotencyDefinitionException when a setting is wrong
     */
    public IdempotentOperation<T> build() {
      return new IdempotentOperation<>(
          namespace,
          engine.operationCalls(
              namespace, resultType, ttl, lease, waitTimeout, inFlight, recorded));
    }

    private Duration positive(String name, Duration d) {
      Objects.requireNonNull(d, name);
      if (d.isNegative() || d.isZero()) {
        throw new IdempotencyDefinitionException(
            "operation '"
                + namespace
                + "': "
                + name
                + " must be positive, was "
                + d
                + "; pass a positive duration or leave it out for the engine's default.");
      }
      return d;
    }
  }
}
