package dev.idempotent.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.idempotent.IdempotencyEngine;
import dev.idempotent.IdempotentOperation;
import dev.idempotent.redis.RedisIdempotencyStore;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
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

/**
 * The Redis store through the engine against the raw Lettuce client doing the same round trips, one
 * caller, on the same server in the same trial. A hit is one round trip for both (the store's
 * acquire script, which finds the completed record; a {@code GET}), a first call two (acquire and
 * complete scripts; {@code SET NX PX} and an {@code EVALSHA} compare-and-set). Both decode or
 * encode the result with Jackson. Each trial writes under a key prefix of its own and deletes its
 * keys at the end.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class RedisStoreBenchmark {
  static final Duration TTL = Duration.ofMinutes(10);
  private static final Duration LEASE = Duration.ofSeconds(30);

  /** Sets the outcome only while the caller's token still holds the key: the raw "complete". */
  private static final String COMPLETE =
      "if redis.call('GET', KEYS[1]) == ARGV[1] then"
          + " redis.call('SET', KEYS[1], ARGV[3], 'PX', ARGV[2]) return 1 end return 0";

  private final ObjectMapper json = new ObjectMapper();
  private String prefix;
  private RedisIdempotencyStore store;
  private IdempotentOperation<Receipt> operation;
  private RedisClient client;
  private StatefulRedisConnection<String, String> connection;
  private RedisCommands<String, String> raw;
  private String completeSha;
  private Keys keys;
  private long sequence;

  /** Connects both, and primes {@value Keys#COUNT} keys in each for the hit path. */
  @Setup(Level.Trial)
  public void setUp() throws IOException {
    prefix = "idempotent-bench:" + StoreServers.uniqueName() + ":";
    store = RedisIdempotencyStore.builder(StoreServers.REDIS_URI).keyPrefix(prefix).build();
    IdempotencyEngine engine = IdempotencyEngine.builder().store(store).build();
    operation = engine.operation("orders.place", Receipt.class).ttl(TTL).build();
    client = RedisClient.create(StoreServers.REDIS_URI);
    connection = client.connect();
    raw = connection.sync();
    completeSha = raw.scriptLoad(COMPLETE);
    keys = new Keys("order");
    for (PlaceOrder cmd : keys.all()) {
      operation.execute(cmd.id(), () -> Receipt.accept(cmd));
      rawFirstCall(cmd);
    }
  }

  /** Deletes this trial's keys and closes both clients. */
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

  private String rawKey(PlaceOrder cmd) {
    return prefix + "raw:orders.place:" + cmd.id();
  }

  private Receipt rawFirstCall(PlaceOrder cmd) throws IOException {
    String key = rawKey(cmd);
    String token = "p:" + Long.toHexString(ThreadLocalRandom.current().nextLong());
    if (raw.set(key, token, SetArgs.Builder.nx().px(LEASE.toMillis())) == null) {
      throw new IllegalStateException("a fresh key was taken: " + key);
    }
    Receipt receipt = Receipt.accept(cmd);
    Long done =
        raw.evalsha(
            completeSha,
            ScriptOutputType.INTEGER,
            new String[] {key},
            token,
            Long.toString(TTL.toMillis()),
            json.writeValueAsString(receipt));
    if (done == null || done != 1L) {
      throw new IllegalStateException("the raw completion lost its token: " + key);
    }
    return receipt;
  }

  private PlaceOrder fresh() {
    return PlaceOrder.withId("first-" + sequence++);
  }

  /** A duplicate through the engine: one acquire script that finds the completed record. */
  @Benchmark
  public Object engineHit() {
    PlaceOrder cmd = keys.next();
    return operation.execute(cmd.id(), () -> Receipt.accept(cmd));
  }

  /** The raw client's duplicate: {@code GET} and decode. */
  @Benchmark
  public Object rawHit() throws IOException {
    String value = raw.get(rawKey(keys.next()));
    return json.readValue(value, Receipt.class);
  }

  /** A first call through the engine: acquire script, body, complete script. */
  @Benchmark
  public Object engineFirstCall() {
    PlaceOrder cmd = fresh();
    return operation.execute(cmd.id(), () -> Receipt.accept(cmd));
  }

  /** The raw client's first call: {@code SET NX PX}, body, {@code EVALSHA} compare-and-set. */
  @Benchmark
  public Object rawFirstCall() throws IOException {
    return rawFirstCall(fresh());
  }
}
