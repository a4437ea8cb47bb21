package dev.idempotent;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.idempotent.codec.JacksonOutcomeCodec;
import dev.idempotent.codec.OutcomeCodec;
import dev.idempotent.internal.EngineSettings;
import dev.idempotent.internal.OperationCalls;
import dev.idempotent.internal.Policies;
import dev.idempotent.internal.Protocol;
import dev.idempotent.internal.json.CanonicalJson;
import dev.idempotent.store.CaffeineIdempotencyStore;
import dev.idempotent.store.IdempotencyStore;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.WeakHashMap;

/**
 * Runs the idempotency protocol for {@link Idempotent} methods and programmatic operations: one
 * engine per application, shared by every adapter (AspectJ, Guice) and by direct calls.
 *
 * <pre>{@code
 * IdempotencyEngine engine = IdempotencyEngine.builder()
 *     .store(RedisIdempotencyStore.builder("redis://localhost:6379").build())
 *     .build();
 * }</pre>
 *
 * <p>{@code IdempotencyEngine.builder().build()} keeps records in a {@link
 * CaffeineIdempotencyStore} inside this JVM. Everything the engine derives from a method (the
 * compiled key expression, the durations, the result handling) is computed on the method's first
 * call, or by {@link #check(Method)}, and cached. Thread-safe.
 *
 * <p>Close the engine when its application stops ({@link #close()}): from then on it refuses calls,
 * and the lease keeper thread ({@code idempotent-lease-keeper}), shared by every engine of the
 * class loader, ends once no open engine needs it. Close the adapters that hold the engine first
 * ({@code IdempotentAspect}'s registration, the injector's users), then the engine, then the store.
 */
public final class IdempotencyEngine implements AutoCloseable {
  /** The ttl of completed records where the annotation names none: 24 hours. */
  public static final Duration DEFAULT_TTL = Duration.ofHours(24);

  /** The lease of in-progress records where the annotation names none: 30 seconds. */
  public static final Duration DEFAULT_LEASE = Duration.ofSeconds(30);

  /** The longest wait for a running call where the annotation names none: 30 seconds. */
  public static final Duration DEFAULT_WAIT_TIMEOUT = Duration.ofSeconds(30);

  private final IdempotencyStore store;
  private final Policies policies;
  private final Protocol protocol;

  /** The engines built here and not closed; weak, so an engine nobody closed can still go. */
  private static final Map<IdempotencyEngine, Boolean> OPEN =
      Collections.synchronizedMap(new WeakHashMap<>());

  private IdempotencyEngine(Builder b) {
    this.store =
        b.store != null ? b.store : CaffeineIdempotencyStore.builder().ticker(b.ticker).build();
    EngineSettings settings =
        new EngineSettings(
            store,
            b.ticker,
            b.defaultTtl,
            b.defaultLease,
            b.defaultWaitTimeout,
            b.scope,
            b.hashKeys,
            b.listeners,
            b.codec != null ? b.codec : JacksonOutcomeCodec.create(),
            b.failOpen,
            b.renewLeases,
            b.initialBackoff,
            b.maxBackoff);
    this.policies = new Policies(settings, CanonicalJson.canonicalMapper());
    this.protocol = new Protocol(settings);
    OPEN.put(this, Boolean.TRUE);
  }

  /** A builder with the defaults: Caffeine store, system ticker, 24 h ttl, fail closed. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Runs one call of an {@link Idempotent} method through the protocol: this is what adapters that
   * intercept a call from outside the method call (Guice, proxies). The first call with a key runs
   * {@code body}; a duplicate gets the recorded outcome. When {@code body} leads straight into the
   * woven advice of the same method with the same arguments (an intercepted instance of a woven
   * class), the advice runs the method's code without running the protocol again; any other call of
   * the method from inside the body, such as the method calling itself with the same key, runs the
   * protocol and is refused as re-entrant.
   *
   * @param method the annotated method (the same {@code Method} instance on every call makes the
   *     policy lookup an identity hit)
   * @param args the call's arguments, in declaration order
   * @param body runs the original method body
   * @return the body's result, or the first call's result for a duplicate
   * @throws Throwable what the body threw, unchanged; a recorded exception replayed; or an {@link
   *     IdempotencyException}: {@link IdempotencyDefinitionException} when the annotation is wrong,
   *     {@link IdempotencyKeyException}, {@link IdempotencyKeyReuseException}, {@link
   *     IdempotencyInProgressException}, {@link IdempotencyStoreException}, {@link
   *     IdempotencyOutcomeNotRecordedException} (a duplicate of a call whose result could not be
   *     recorded)
   * @throws IllegalStateException when the engine is closed (the body did not run)
   */
  public Object invoke(Method method, Object[] args, Invocation body) throws Throwable {
    return protocol.invoke(policies.forMethod(method), args, body);
  }

  /**
   * The first half of a call, for adapters that run the body themselves right around the method's
   * own code (such as inlined AspectJ advice, which must call {@code proceed()} in the advice
   * body): computes the key and acquires it. See {@link PendingCall} for the whole sequence. A call
   * that an outer {@link #invoke} of the same method with the same arguments is running on this
   * thread is taken to be that call reached through a second adapter: it returns a {@code
   * PendingCall} that runs the body without protection, since the outer adapter protects it. An
   * interceptor that wraps the method from outside uses {@link #invoke} instead, or leaves woven
   * methods alone.
   *
   * @return a {@link PendingCall} when the body is to run; otherwise a duplicate's result (for a
   *     method returning a {@code CompletionStage}, a completed or failed stage)
   * @throws Throwable a duplicate's recorded exception, or an {@link IdempotencyException} as
   *     {@link #invoke} throws them
   */
  public Object begin(Method method, Object[] args) throws Throwable {
    return protocol.begin(policies.forMethod(method), args);
  }

  /**
   * Reads and checks the {@link Idempotent} annotation of a method now instead of on its first
   * call, so that a mistake fails start-up. With a store that serializes outcomes this includes
   * asking the codec whether the method's result type can be written and read back, and checking
   * that each {@code recordExceptions} type can be built again from its class and message.
   *
   * @throws IdempotencyDefinitionException when the annotation is wrong
   */
  public void check(Method method) {
    policies.forMethod(method);
  }

  /**
   * Starts a programmatic operation, for code that is not annotated.
   *
   * <pre>{@code
   * IdempotentOperation<Receipt> charge = engine.operation("payments.charge", Receipt.class)
   *     .ttl(Duration.ofHours(24))
   *     .build();
   * Receipt receipt = charge.execute(request.idempotencyKey(), request, () -> gateway.charge(request));
   * }</pre>
   *
   * @param namespace names the operation; keeps its keys apart from every other's
   * @param resultType the class of the result, for decoding from a store that serializes
   */
  public <T> IdempotentOperation.Builder<T> operation(String namespace, Class<T> resultType) {
    return new IdempotentOperation.Builder<>(this, namespace, resultType);
  }

  /**
   * Starts a programmatic operation whose result has a generic type, such as {@code List<Order>}.
   *
   * @param namespace names the operation
   * @param resultType the generic type of the result, e.g. from a {@code ParameterizedType}
   */
  public <T> IdempotentOperation.Builder<T> operation(String namespace, Type resultType) {
    return new IdempotentOperation.Builder<>(this, namespace, resultType);
  }

  /**
   * Stops this engine: calls that start from now on, through any adapter or operation, throw {@link
   * IllegalStateException} without running the body; calls already running finish, but their leases
   * are no longer renewed. The engine stops taking part in lease renewal, and the shared {@code
   * idempotent-lease-keeper} thread ends when no other open engine needs it (it starts again when
   * one does). The store is not closed: close a store you built yourself after the engine. Calling
   * it again does nothing. Thread-safe.
   */
  @Override
  public void close() {
    protocol.close();
    OPEN.remove(this);
  }

  /**
   * The engines built by this copy of the library (this class loader) that are not closed and are
   * still reachable, in no particular order. For start-up checks and diagnostics: the AspectJ
   * aspect, for example, warns when woven methods run on its default in-memory engine while an
   * engine with another store was built and never configured. Thread-safe; a snapshot.
   *
   * @return the open engines, as an unmodifiable list
   */
  public static List<IdempotencyEngine> openEngines() {
    synchronized (OPEN) {
      return List.copyOf(OPEN.keySet());
    }
  }

  /**
   * Whether {@link #close()} was called.
   *
   * @return true once the engine refuses calls
   */
  public boolean isClosed() {
    return protocol.isClosed();
  }

  /** The store this engine keeps its records in. */
  public IdempotencyStore store() {
    return store;
  }

  /**
   * The calls of a programmatic operation on this engine: the one way {@link IdempotentOperation}
   * reaches the protocol.
   *
   * @throws IdempotencyDefinitionException when a setting is wrong
   */
  OperationCalls operationCalls(
      String namespace,
      Type resultType,
      Duration ttl,
      Duration lease,
      Duration waitTimeout,
      InFlight inFlight,
      List<Class<? extends Throwable>> recorded) {
    return OperationCalls.of(
        protocol,
        policies.forOperation(
            namespace, resultType, false, ttl, lease, waitTimeout, inFlight, recorded),
        policies.forOperation(
            namespace, resultType, true, ttl, lease, waitTimeout, inFlight, recorded),
        policies);
  }

  /** Settings for an {@link IdempotencyEngine}. Not thread-safe; the engine it builds is. */
  public static final class Builder {
    private IdempotencyStore store;
    private Ticker ticker = Ticker.system();
    private Duration defaultTtl = DEFAULT_TTL;
    private Duration defaultLease = DEFAULT_LEASE;
    private Duration defaultWaitTimeout = DEFAULT_WAIT_TIMEOUT;
    private KeyScope scope;
    private boolean hashKeys;
    private final List<IdempotencyListener> listeners = new ArrayList<>();
    private OutcomeCodec codec;
    private boolean failOpen;
    private boolean renewLeases = true;
    private Duration initialBackoff = Duration.ofMillis(5);
    private Duration maxBackoff = Duration.ofMillis(250);

    private Builder() {}

    /**
     * The store; default: a {@link CaffeineIdempotencyStore} using this builder's ticker.
     *
     * @return this builder
     * @throws NullPointerException when {@code store} is null
     */
    public Builder store(IdempotencyStore store) {
      this.store = Objects.requireNonNull(store, "store");
      return this;
    }

    /**
     * The time source for wait deadlines (and for the default store's expiry). Tests pass a fake
     * one to advance time instead of sleeping.
     *
     * @return this builder
     * @throws NullPointerException when {@code ticker} is null
     */
    public Builder ticker(Ticker ticker) {
      this.ticker = Objects.requireNonNull(ticker, "ticker");
      return this;
    }

    /**
     * The ttl for methods whose annotation names none; default {@link #DEFAULT_TTL}.
     *
     * @return this builder
     * @throws NullPointerException when {@code ttl} is null
     * @throws IllegalArgumentException when {@code ttl} is zero or negative
     */
    public Builder defaultTtl(Duration ttl) {
      this.defaultTtl = positive("defaultTtl", ttl);
      return this;
    }

    /**
     * The lease for methods whose annotation names none; default {@link #DEFAULT_LEASE}.
     *
     * @return this builder
     * @throws NullPointerException when {@code lease} is null
     * @throws IllegalArgumentException when {@code lease} is zero or negative
     */
    public Builder defaultLease(Duration lease) {
      this.defaultLease = positive("defaultLease", lease);
      return this;
    }

    /**
     * The wait timeout for methods whose annotation names none; default {@link
     * #DEFAULT_WAIT_TIMEOUT}.
     *
     * @return this builder
     * @throws NullPointerException when {@code waitTimeout} is null
     * @throws IllegalArgumentException when {@code waitTimeout} is zero or negative
     */
    public Builder defaultWaitTimeout(Duration waitTimeout) {
      this.defaultWaitTimeout = positive("defaultWaitTimeout", waitTimeout);
      return this;
    }

    /**
     * The scope mixed into every key, such as the tenant, so one tenant never receives another's
     * outcome. Once set, a call whose scope is missing fails with {@link IdempotencyKeyException}.
     *
     * @return this builder
     * @throws NullPointerException when {@code scope} is null
     */
    public Builder scope(KeyScope scope) {
      this.scope = Objects.requireNonNull(scope, "scope");
      return this;
    }

    /**
     * Whether key values are replaced by their SHA-256 (URL-safe Base64) before they reach the
     * store, so store keys are bounded in length and carry no raw user data. Default false.
     * Changing it changes every key: records written before are not found after.
     *
     * @return this builder
     */
    public Builder hashKeys(boolean hashKeys) {
      this.hashKeys = hashKeys;
      return this;
    }

    /**
     * Adds a listener for events; a listener that throws cannot break a call.
     *
     * @return this builder
     * @throws NullPointerException when {@code listener} is null
     */
    public Builder listener(IdempotencyListener listener) {
      this.listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /**
     * The codec of outcomes kept in a store that serializes them (Redis, JDBC): how results become
     * JSON and back. Default: {@link JacksonOutcomeCodec#create()}. Records written with one codec
     * are read by another as long as both write the same JSON for the values; the record around the
     * values is the engine's.
     *
     * @return this builder
     * @throws NullPointerException when {@code codec} is null
     */
    public Builder codec(OutcomeCodec codec) {
      this.codec = Objects.requireNonNull(codec, "codec");
      return this;
    }

    /**
     * Shorthand for {@code codec(JacksonOutcomeCodec.of(objectMapper))}: outcomes written and read
     * by the application's own Jackson 2 mapper (copied; reading stays strict).
     *
     * @return this builder
     * @throws NullPointerException when {@code objectMapper} is null
     * @throws IllegalArgumentException when the mapper enables default typing
     */
    public Builder objectMapper(ObjectMapper objectMapper) {
      return codec(JacksonOutcomeCodec.of(Objects.requireNonNull(objectMapper, "objectMapper")));
    }

    /**
     * Whether a failing store lets calls run unprotected (fail open, reported to listeners as
     * {@link IdempotencyEvent.Type#FAIL_OPEN}) instead of failing them with {@link
     * IdempotencyStoreException} without running the body (fail closed, the default). Fail open
     * trades the promise of one execution for availability.
     *
     * @return this builder
     */
    public Builder failOpen(boolean failOpen) {
      this.failOpen = failOpen;
      return this;
    }

    /**
     * Whether the leases of bodies that outlive a third of their lease are renewed in the
     * background, so a live owner is never taken over. Default true.
     *
     * @return this builder
     */
    public Builder renewLeases(boolean renewLeases) {
      this.renewLeases = renewLeases;
      return this;
    }

    /**
     * How a duplicate polls the store while the first call runs in another process: the first
     * interval, doubled after each poll up to the maximum. Defaults: 5 ms and 250 ms. A duplicate
     * of a call in this JVM does not poll; it is woken when the call ends.
     *
     * @return this builder
     * @throws NullPointerException when either is null
     * @throws IllegalArgumentException when either is zero or negative, or the maximum is shorter
     *     than the first interval (the builder then keeps its previous intervals)
     */
    public Builder pollBackoff(Duration initial, Duration maximum) {
      positive("pollBackoff initial", initial);
      positive("pollBackoff maximum", maximum);
      if (maximum.compareTo(initial) < 0) {
        throw new IllegalArgumentException(
            "IdempotencyEngine.Builder.pollBackoff: maximum "
                + maximum
                + " is shorter than initial "
                + initial
                + "; pass a maximum at least as long as the first interval.");
      }
      this.initialBackoff = initial;
      this.maxBackoff = maximum;
      return this;
    }

    /**
     * Builds the engine.
     *
     * @return a new engine; close it when its application stops
     */
    public IdempotencyEngine build() {
      return new IdempotencyEngine(this);
    }

    private static Duration positive(String name, Duration d) {
      Objects.requireNonNull(d, name);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(
            "IdempotencyEngine.Builder." + name + " must be positive, was " + d);
      }
      return d;
    }
  }
}
