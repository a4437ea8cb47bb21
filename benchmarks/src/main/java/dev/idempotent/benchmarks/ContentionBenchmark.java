package dev.idempotent.benchmarks;

import dev.idempotent.IdempotencyEngine;
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
import org.openjdk.jmh.annotations.Threads;

/**
 * Two threads (this machine's cores) on the hit path at once: both on one hot key, and each cycling
 * through many keys. A woven method (payload check off) against the hand-written Caffeine lookup,
 * sharing one engine and one cache per trial.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Threads(2)
public class ContentionBenchmark {

  /** The engine and the baseline, shared by both threads. */
  @State(Scope.Benchmark)
  public static class Shared {
    WovenOrderService woven;
    HandWrittenCache handWritten;
    PlaceOrder hot;

    /** Builds both and calls each once with every key. */
    @Setup(Level.Trial)
    public void setUp() {
      WovenOrderService.requireWoven();
      IdempotentAspect.configure(
          IdempotencyEngine.builder()
              .store(CaffeineIdempotencyStore.builder().maximumSize(1 << 16).build())
              .build());
      woven = new WovenOrderService();
      handWritten = new HandWrittenCache(1 << 16);
      for (PlaceOrder cmd : new Keys("order").all()) {
        woven.place(cmd);
        handWritten.place(cmd);
      }
      hot = PlaceOrder.withId("order-100042");
    }
  }

  /** Each thread's own cycle through the primed keys. */
  @State(Scope.Thread)
  public static class PerThread {
    Keys keys;

    /** Starts this thread's cycle. */
    @Setup(Level.Trial)
    public void setUp() {
      keys = new Keys("order");
    }
  }

  /** Baseline, both threads on one key. */
  @Benchmark
  public Object baselineCaffeineHotKey(Shared s) {
    return s.handWritten.place(s.hot);
  }

  /** The engine, both threads on one key. */
  @Benchmark
  public Object wovenHotKey(Shared s) {
    return s.woven.place(s.hot);
  }

  /** Baseline, each thread cycling through many keys. */
  @Benchmark
  public Object baselineCaffeineManyKeys(Shared s, PerThread t) {
    return s.handWritten.place(t.keys.next());
  }

  /** The engine, each thread cycling through many keys. */
  @Benchmark
  public Object wovenManyKeys(Shared s, PerThread t) {
    return s.woven.place(t.keys.next());
  }
}
