package dev.idempotent.test;

import dev.idempotent.IdempotencyEngine;
import dev.idempotent.IdempotencyEvent;
import dev.idempotent.IdempotencyKeyReuseException;
import dev.idempotent.store.CaffeineIdempotencyStore;
import dev.idempotent.store.IdempotencyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.BiPredicate;
import java.util.function.Consumer;

/**
 * A fresh {@link IdempotencyEngine} for one test, on a {@link FakeTicker}, with assertions that
 * read like the idempotency checklist. {@link IdempotencyExtension} creates one per test and closes
 * it after; without JUnit, create and close it yourself:
 *
 * <pre>{@code
 * try (IdempotencyTester idempotency = IdempotencyTester.create()) {
 *   PaymentService payments = new PaymentService(gateway);   // a woven class
 *   idempotency.assertRetryReturnsSameResult(() -> payments.charge(request));
 *   idempotency.assertRunsAgainAfterTtl(Duration.ofHours(24), () -> payments.charge(request));
 * }
 * }</pre>
 *
 * <p><b>Adapters.</b> When idempotent-aspectj is on the class path, creating a tester points {@code
 * IdempotentAspect} at its engine and {@link #close()} gives the aspect back the engine it had (see
 * {@link Builder#aspect(boolean)}); that engine is one per JVM, so only one tester may hold it at a
 * time. Guice injectors get the engine from {@link IdempotencyTestModule}; Spring test contexts
 * through {@link IdempotencyTestConfiguration}, which {@link IdempotencyExtension} binds to the
 * tester; programmatic operations from {@link #engine()}. Each tester has its own engine and store,
 * so records never leak from one test into another.
 *
 * <p><b>Serializing.</b> By default the store is the in-memory Caffeine store made to behave like
 * Redis or JDBC: every outcome is encoded by the engine's codec and decoded on replay, so a result
 * type that cannot make the round trip fails here, not in production (see {@link
 * Builder#serializing(boolean)}).
 *
 * <p><b>How runs are counted.</b> The assertions count the body's runs from the engine's events
 * ({@link IdempotencyEvent.Type#EXECUTED} and the like), so the code under test needs no counter. A
 * call that never reaches this tester's engine (an unwoven class, an instance Guice did not create)
 * fails every assertion with a message saying so. Each assertion throws {@link AssertionError} and
 * needs no test framework.
 *
 * <p>Thread-safe: the method under test may run on any thread; assertions run on the caller's.
 */
public final class IdempotencyTester implements AutoCloseable {
  /**
   * How much longer than its ttl the test store may keep a completed record (the Caffeine store's
   * slack, see {@link CaffeineIdempotencyStore}): advance the clock by the ttl plus this to be sure
   * a record is gone.
   */
  public static final Duration TTL_SLACK = Duration.ofSeconds(1);

  private final String name;
  private final FakeTicker ticker;
  private final CallLog log;
  private final IdempotencyEngine engine;
  private final boolean serializing;
  private final AspectWiring aspect;
  private final Checklist checklist;

  /** Other adapters' wirings (a Spring context's binding), closed first by {@link #close()}. */
  private final List<AutoCloseable> wirings = new ArrayList<>();

  private IdempotencyTester(Builder b) {
    this.name = b.name;
    this.ticker = new FakeTicker();
    this.log = new CallLog();
    this.serializing = b.serializing;
    CaffeineIdempotencyStore records =
        CaffeineIdempotencyStore.builder().ticker(ticker).executor(Runnable::run).build();
    IdempotencyStore store = serializing ? new SerializingStore(records) : records;
    IdempotencyEngine.Builder engineBuilder =
        IdempotencyEngine.builder().store(store).ticker(ticker).renewLeases(false).listener(log);
    b.engineSettings.accept(engineBuilder);
    this.engine = engineBuilder.build();
    boolean wireAspect = b.aspect != null ? b.aspect : AspectWiring.available();
    this.aspect = wireAspect ? AspectWiring.wire(name, engine) : null;
    this.checklist = new Checklist(this, log);
  }

  /** A tester with the defaults: serializing store, aspect wired when it is on the class path. */
  public static IdempotencyTester create() {
    return builder().build();
  }

  /** A builder for a tester with other settings. */
  public static Builder builder() {
    return new Builder();
  }

  /** The engine of this test: give it to code that takes one (operations, modules, filters). */
  public IdempotencyEngine engine() {
    return engine;
  }

  /** The clock of the engine and its store; it moves only when the test advances it. */
  public FakeTicker ticker() {
    return ticker;
  }

  /**
   * Moves this test's clock forward, without sleeping: records whose ttl ends within {@code
   * duration} (plus {@link #TTL_SLACK}) expire, and in-progress records whose lease ends are taken
   * over by the next call (the tester does not renew leases, so a lease ends exactly when the clock
   * says). A duplicate already waiting for a running call notices a passed wait timeout only when
   * it next wakes up, so tests of wait timeouts should let the first call end instead.
   *
   * @throws IllegalArgumentException when {@code duration} is negative
   */
  public void advance(Duration duration) {
    ticker.advance(duration);
  }

  /** Every event the engine reported so far, oldest first: for assertions of your own. */
  public List<IdempotencyEvent> events() {
    return log.all();
  }

  /** Whether outcomes go through the engine's codec (see {@link Builder#serializing(boolean)}). */
  public boolean serializing() {
    return serializing;
  }

  /**
   * Calls twice and asserts that the retry returned a result equal to the first call's ({@link
   * Objects#deepEquals}) and that the body ran once.
   *
   * @return the first call's result
   * @throws AssertionError when the body ran twice or not through this engine, a call threw, or the
   *     results differ
   */
  public <T> T assertRetryReturnsSameResult(IdempotentCall<T> call) {
    return checklist.retryReturnsSameResult(call, Objects::deepEquals);
  }

  /**
   * As {@link #assertRetryReturnsSameResult(IdempotentCall)}, comparing the results with {@code
   * sameResult}, for result types without {@code equals}.
   */
  public <T> T assertRetryReturnsSameResult(
      IdempotentCall<T> call, BiPredicate<? super T, ? super T> sameResult) {
    return checklist.retryReturnsSameResult(call, Objects.requireNonNull(sameResult, "sameResult"));
  }

  /**
   * Starts {@code callers} threads that make the same call at once and asserts that the body ran
   * once and every caller got an equal result (duplicates wait for the first call, or are
   * replayed).
   *
   * @return the result every caller got
   * @throws AssertionError when the body ran more than once, a caller threw (a rejected duplicate
   *     included), or the results differ
   * @throws IllegalArgumentException when {@code callers} is below 2
   */
  public <T> T assertConcurrentCallersRunOnce(int callers, IdempotentCall<T> call) {
    return checklist.concurrentCallersRunOnce(callers, call);
  }

  /**
   * Makes {@code first}, then {@code sameKeyOtherArguments} (the same key with other arguments),
   * and asserts that the second was rejected with {@link IdempotencyKeyReuseException}.
   *
   * @return the exception
   * @throws AssertionError when the first call threw or the second was not rejected, saying why
   *     (replayed: the differing arguments are not fingerprinted; ran: the key differs)
   */
  public IdempotencyKeyReuseException assertKeyReuseRejected(
      IdempotentCall<?> first, IdempotentCall<?> sameKeyOtherArguments) {
    return checklist.keyReuseRejected(first, sameKeyOtherArguments);
  }

  /**
   * Asserts that a call is replayed within {@code ttl} and runs the body again after it: calls,
   * advances the clock to just before the ttl and calls (replayed), then past the ttl and calls
   * again (runs). Moves this tester's clock by {@code ttl} plus {@link #TTL_SLACK}.
   *
   * @param ttl the method's ttl, as its annotation says
   * @return the result of the call after the ttl
   * @throws AssertionError when the record expired too early or outlived the ttl, or a call threw
   */
  public <T> T assertRunsAgainAfterTtl(Duration ttl, IdempotentCall<T> call) {
    return checklist.runsAgainAfterTtl(Objects.requireNonNull(ttl, "ttl"), call);
  }

  /**
   * Asserts that a failure which the method does not record lets the retry run: the first call must
   * throw, and the retry must run the body again instead of replaying the failure. Arrange the
   * failure yourself, e.g. with a stub that fails once.
   *
   * @return the retry's result, or null when the retry threw too (it ran, which is what counts)
   * @throws AssertionError when the first call did not throw, or the retry did not run the body
   */
  public <T> T assertFailureIsNotRecorded(IdempotentCall<T> call) {
    return checklist.failureIsNotRecorded(call);
  }

  /**
   * Asserts that an exception the method records ({@code recordExceptions}) is replayed: the first
   * call must throw a {@code type}, and the retry must throw the same class with the same message
   * without running the body.
   *
   * @return the replayed exception
   * @throws AssertionError when the first call did not throw a {@code type}, or the retry ran the
   *     body, returned, or threw something else
   */
  public <E extends Throwable> E assertExceptionReplayed(Class<E> type, IdempotentCall<?> call) {
    return checklist.exceptionReplayed(Objects.requireNonNull(type, "type"), call);
  }

  /** Has {@link #close()} close {@code wiring} first (before the aspect and the engine). */
  synchronized void attach(AutoCloseable wiring) {
    wirings.add(wiring);
  }

  boolean aspectWired() {
    return aspect != null;
  }

  boolean aspectIntact() {
    return aspect != null && aspect.intact();
  }

  /**
   * Gives the adapters back what they had before this tester (a Spring context's proxies their
   * binding, the aspect its previous engine), then closes the engine, so a call that still reaches
   * it (an operation or injector kept past the test) fails with {@link IllegalStateException}
   * instead of running on stale records. Idempotent.
   */
  @Override
  public void close() {
    List<AutoCloseable> attached;
    synchronized (this) {
      attached = new ArrayList<>(wirings);
      wirings.clear();
    }
    for (int i = attached.size() - 1; i >= 0; i--) {
      try {
        attached.get(i).close();
      } catch (Exception e) {
        throw new IllegalStateException(this + ": closing " + attached.get(i) + " failed", e);
      }
    }
    if (aspect != null) {
      aspect.close();
    }
    engine.close();
  }

  @Override
  public String toString() {
    return "IdempotencyTester[" + name + (serializing ? ", serializing" : "") + "]";
  }

  /** Settings for an {@link IdempotencyTester}. Not thread-safe; the tester it builds is. */
  public static final class Builder {
    private String name = "IdempotencyTester";
    private boolean serializing = true;
    private Boolean aspect;
    private Consumer<IdempotencyEngine.Builder> engineSettings = b -> {};

    private Builder() {}

    /**
     * Whether outcomes go through the engine's codec as they would on Redis or JDBC (default true).
     * Keep it on when production uses a shared store: a result type Jackson cannot write or read
     * then fails the test. Turn it off when production keeps records in memory and the test relies
     * on a replay returning the very same instance.
     */
    public Builder serializing(boolean serializing) {
      this.serializing = serializing;
      return this;
    }

    /**
     * Whether the tester points {@code IdempotentAspect} at its engine until it is closed. Default:
     * yes when idempotent-aspectj is on the class path. Turn it off in tests that call no woven
     * method, so they can run in parallel with tests that do.
     *
     * @throws IllegalArgumentException when turned on and idempotent-aspectj is not on the class
     *     path
     */
    public Builder aspect(boolean aspect) {
      if (aspect && !AspectWiring.available()) {
        throw new IllegalArgumentException(
            "IdempotencyTester.Builder.aspect(true): idempotent-aspectj is not on the class path;"
                + " add dev.idempotent:idempotent-aspectj to the test's dependencies");
      }
      this.aspect = aspect;
      return this;
    }

    /**
     * More engine settings (a key scope, default ttl, hashed keys, listeners), applied after the
     * tester's own: the store, the ticker, lease renewal off and its event listener. Replacing the
     * store or the ticker here takes expiry out of the tester's clock. Each call adds to the
     * settings of the calls before it; in a Spring test the extension first adds the application
     * context's codec, key scope and {@code idempotent.*} defaults, and yours come after.
     */
    public Builder engine(Consumer<IdempotencyEngine.Builder> settings) {
      this.engineSettings = engineSettings.andThen(Objects.requireNonNull(settings, "settings"));
      return this;
    }

    /** Names the tester in messages, such as the test's name; default "IdempotencyTester". */
    public Builder name(String name) {
      this.name = Objects.requireNonNull(name, "name");
      return this;
    }

    /**
     * Builds the tester and wires the aspect.
     *
     * @throws IllegalStateException when the aspect is to be wired and another open tester holds it
     */
    public IdempotencyTester build() {
      return new IdempotencyTester(this);
    }
  }
}
