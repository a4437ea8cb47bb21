package dev.idempotent.benchmarks;

import com.github.benmanes.caffeine.cache.Cache;
import dev.idempotent.IdempotencyEngine;
import dev.idempotent.store.CaffeineIdempotencyStore;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * How the default hit (woven, payload check on) grows with the number of live keys: {@link
 * Population#liveKeys} commands are called once in set-up (the store and the cache bounded by that
 * count, so none is evicted), then visited over and over in a fixed scrambled order, so that the
 * visit is not a walk through memory in the order the records were made. The lean inline lookup
 * visits the same commands in the same order. Each fork has a 3 GB heap, for a million records.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(jvmArgsAppend = {"-Xms3g", "-Xmx3g"})
public class LiveKeysBenchmark {

  /** The commands, in the order they are made and in the order they are visited. */
  @State(Scope.Benchmark)
  public static class Population {
    /** How many keys are live. */
    @Param({"1000", "100000", "1000000"})
    public int liveKeys;

    PlaceOrder[] made;
    PlaceOrder[] visits;

    /** Makes the commands and a scrambled copy (Fisher-Yates, fixed seed). */
    @Setup(Level.Trial)
    public void setUp() {
      made = new PlaceOrder[liveKeys];
      for (int i = 0; i < liveKeys; i++) {
        made[i] = PlaceOrder.withId("order-" + (10_000_000 + i));
      }
      visits = made.clone();
      SplittableRandom random = new SplittableRandom(17);
      for (int i = visits.length - 1; i > 0; i--) {
        int j = random.nextInt(i + 1);
        PlaceOrder swapped = visits[i];
        visits[i] = visits[j];
        visits[j] = swapped;
      }
    }
  }

  /** The engine, every command called once through the woven method. */
  @State(Scope.Thread)
  public static class Woven {
    WovenOrderService woven;
    Cycle<PlaceOrder> visits;

    /** Builds the engine with a store bounded by the key count and primes it. */
    @Setup(Level.Trial)
    public void setUp(Population population) {
      IdempotencyEngine engine =
          WovenFixtures.configure(WovenOrderService.class, population.liveKeys);
      woven = new WovenOrderService();
      for (PlaceOrder cmd : population.made) {
        woven.placeChecked(cmd);
      }
      long live = ((CaffeineIdempotencyStore) engine.store()).estimatedSize();
      requireAllLive("the engine's store", live, population.liveKeys);
      visits = new Cycle<>(population.visits);
    }
  }

  /** The lean hand-written cache, every command put once. */
  @State(Scope.Thread)
  public static class Lean {
    Cache<String, Receipt> cache;
    Cycle<PlaceOrder> visits;

    /** Builds the cache bounded by the key count and fills it. */
    @Setup(Level.Trial)
    public void setUp(Population population) {
      cache = HandWrittenCache.newCache(population.liveKeys);
      for (PlaceOrder cmd : population.made) {
        cache.put("orders.place:" + cmd.id(), Receipt.accept(cmd));
      }
      cache.cleanUp();
      requireAllLive("the lean cache", cache.estimatedSize(), population.liveKeys);
      visits = new Cycle<>(population.visits);
    }
  }

  private static void requireAllLive(String what, long size, int liveKeys) {
    if (size != liveKeys) {
      throw new IllegalStateException(
          what + " holds " + size + " keys after set-up, expected " + liveKeys);
    }
  }

  /** Baseline: the lean hand-written lookup, inline. */
  @Benchmark
  public Receipt lean(Lean s) {
    PlaceOrder cmd = s.visits.next();
    Receipt seen = s.cache.getIfPresent("orders.place:" + cmd.id());
    if (seen == null) {
      seen = Receipt.accept(cmd);
      s.cache.put("orders.place:" + cmd.id(), seen);
    }
    return seen;
  }

  /** The default woven hit: payload check on. */
  @Benchmark
  public Receipt wovenPayloadOn(Woven s) {
    return s.woven.placeChecked(s.visits.next());
  }
}
