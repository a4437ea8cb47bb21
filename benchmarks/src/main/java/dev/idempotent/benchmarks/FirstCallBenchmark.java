package dev.idempotent.benchmarks;

import dev.idempotent.IdempotencyEngine;
import dev.idempotent.IdempotentOperation;
import dev.idempotent.aspectj.IdempotentAspect;
import dev.idempotent.store.CaffeineIdempotencyStore;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The first-call path: every operation uses a key never seen before, so the body runs and its
 * outcome is recorded. The store and the baseline cache are bounded by the same maximum size, so
 * eviction keeps them steady. Each operation builds its command (and so its key text), for the
 * engine and the baseline alike. The woven and intercepted fixtures are the real adapters, as in
 * {@link HitPathBenchmark}.
 *
 * <p>Steady state: both run Caffeine's maintenance (eviction) on the calling thread, so that each
 * operation pays for the eviction it causes rather than a pool thread doing it on the machine's
 * other core, at times of its own; and the bound is {@value #MAXIMUM_SIZE} entries, so that the
 * records alive at a young collection are few. With 65,536 entries each young collection copied
 * about 65,536 live records (a pause of about 30 ms, 8% of the run), which made the score of an
 * iteration depend on how many collections fell in it.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class FirstCallBenchmark {
  static final int MAXIMUM_SIZE = 1 << 12;

  private IdempotencyEngine engine;
  private IdempotentOperation<Receipt> operation;
  private WovenOrderService woven;
  private GuiceOrderService intercepted;
  private HandWrittenCache handWritten;
  private long sequence;

  /** Builds the engine and the baseline. */
  @Setup(Level.Trial)
  public void setUp() {
    engine =
        IdempotencyEngine.builder()
            .store(
                CaffeineIdempotencyStore.builder()
                    .maximumSize(MAXIMUM_SIZE)
                    .executor(Runnable::run)
                    .build())
            .build();
    WovenOrderService.requireWoven();
    IdempotentAspect.configure(engine);
    woven = new WovenOrderService();
    intercepted = GuiceOrderService.create(engine);
    operation = engine.operation("orders.place", Receipt.class).build();
    handWritten = new HandWrittenCache(MAXIMUM_SIZE, Runnable::run);
  }

  private PlaceOrder fresh() {
    return PlaceOrder.withId(Long.toString(sequence++));
  }

  /** Baseline: Caffeine {@code cache.get(key, fn)} with a new key. */
  @Benchmark
  public Object baselineCacheGet() {
    return handWritten.placeAtomically(fresh());
  }

  /**
   * A woven method: the advice's {@code engine.begin}, the body, {@code succeeded}; payload off.
   */
  @Benchmark
  public Object wovenPayloadOff() {
    return woven.place(fresh());
  }

  /** A woven method, payload check on (the arguments fingerprinted and stored). */
  @Benchmark
  public Object wovenPayloadOn() {
    return woven.placeChecked(fresh());
  }

  /** A Guice-created instance, intercepted by {@code IdempotencyModule}; payload off. */
  @Benchmark
  public Object interceptedPayloadOff() {
    return intercepted.place(fresh());
  }

  /** The programmatic API: {@code execute(key, supplier)}. */
  @Benchmark
  public Object programmaticPayloadOff() {
    PlaceOrder cmd = fresh();
    return operation.execute(cmd.id(), () -> Receipt.accept(cmd));
  }
}
