package dev.idempotent.benchmarks;

import dev.idempotent.IdempotencyEngine;
import dev.idempotent.IdempotentOperation;
import dev.idempotent.redis.RedisIdempotencyStore;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.infra.ThreadParams;

/**
 * Calls per second with {@value #CALLERS} concurrent callers through one engine on one Redis store
 * (one multiplexed Lettuce connection, as an application would have), to set beside {@code
 * redis-benchmark -t set -c 64}, which the Suite runs against the same server just before and just
 * after this benchmark. A hit is one round trip, as a {@code SET} is; a first call two. A plain
 * Lettuce {@code GET} by the same callers on one connection shows how much of the gap to {@code
 * redis-benchmark} is the Java client's own.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(RedisThroughputBenchmark.CALLERS)
public class RedisThroughputBenchmark {
  static final int CALLERS = 64;

  /** The store and engine all callers share. */
  @State(Scope.Benchmark)
  public static class Shared {
    String prefix;
    RedisIdempotencyStore store;
    IdempotentOperation<Receipt> operation;
    RedisClient client;
    StatefulRedisConnection<String, String> connection;
    RedisCommands<String, String> raw;

    /** Connects and primes {@value Keys#COUNT} keys for the hits. */
    @Setup(Level.Trial)
    public void setUp() {
      prefix = "idempotent-bench:" + StoreServers.uniqueName() + ":";
      store = RedisIdempotencyStore.builder(StoreServers.REDIS_URI).keyPrefix(prefix).build();
      IdempotencyEngine engine = IdempotencyEngine.builder().store(store).build();
      operation =
          engine.operation("orders.place", Receipt.class).ttl(RedisStoreBenchmark.TTL).build();
      client = RedisClient.create(StoreServers.REDIS_URI);
      connection = client.connect();
      raw = connection.sync();
      for (PlaceOrder cmd : new Keys("order").all()) {
        operation.execute(cmd.id(), () -> Receipt.accept(cmd));
        raw.set(rawKey(cmd), cmd.id());
      }
    }

    String rawKey(PlaceOrder cmd) {
      return prefix + "raw:" + cmd.id();
    }

    /** Deletes this trial's keys and closes the store. */
    @TearDown(Level.Trial)
    public void tearDown() {
      try {
        StoreServers.deleteKeys(raw, prefix);
      } finally {
        store.close();
        connection.close();
        client.shutdown();
      }
    }
  }

  /** Each caller's own cycle through the primed keys, and its own fresh keys. */
  @State(Scope.Thread)
  public static class Caller {
    Keys keys;
    String freshPrefix;
    long sequence;

    /** Starts this caller's cycle at a point of its own. */
    @Setup(Level.Trial)
    public void setUp(ThreadParams thread) {
      keys = new Keys("order");
      for (int i = 0; i < thread.getThreadIndex() * 16; i++) {
        keys.next();
      }
      freshPrefix = "first-" + thread.getThreadIndex() + "-";
    }
  }

  /** Duplicates: one acquire script each, finding the completed record. */
  @Benchmark
  public Object engineHit(Shared s, Caller c) {
    PlaceOrder cmd = c.keys.next();
    return s.operation.execute(cmd.id(), () -> Receipt.accept(cmd));
  }

  /**
   * The client's own floor: a plain {@code GET} per call on one shared Lettuce connection, the same
   * 64 callers. What the engine adds on top of a Lettuce round trip is its hit over this.
   */
  @Benchmark
  public Object rawGet(Shared s, Caller c) {
    return s.raw.get(s.rawKey(c.keys.next()));
  }

  /** First calls: acquire script, body, complete script. */
  @Benchmark
  public Object engineFirstCall(Shared s, Caller c) {
    PlaceOrder cmd = PlaceOrder.withId(c.freshPrefix + c.sequence++);
    return s.operation.execute(cmd.id(), () -> Receipt.accept(cmd));
  }
}
