package dev.idempotent.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.idempotent.IdempotencyEngine;
import dev.idempotent.IdempotencyEvent;
import dev.idempotent.IdempotencyStoreException;
import dev.idempotent.IdempotentOperation;
import dev.idempotent.testing.RequiresServer;
import dev.idempotent.testing.TestServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.IntegerOutput;
import io.lettuce.core.output.ValueListOutput;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link Durability} on private servers: a master with one replica, where every durable write is on
 * the replica before the call returns and the {@code WAIT}s are counted; and a master without
 * replicas, where too few acknowledgements make an acquire fail closed and a completion a store
 * failure that still returns the body's result.
 */
@RequiresServer(TestServer.REDIS_PROGRAMS)
class RedisDurabilityTest {
  private static PrivateRedis master;
  private static PrivateRedis replica;
  private static PrivateRedis lonely;

  private final AtomicInteger bodies = new AtomicInteger();
  private final List<IdempotencyEvent> events = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void startServers() throws Exception {
    master = PrivateRedis.start();
    replica = PrivateRedis.startReplicaOf(master);
    lonely = PrivateRedis.start();
    FailoverLoad.await(
        () -> {
          try {
            return replica.cli("INFO", "replication").contains("master_link_status:up");
          } catch (Exception e) {
            return false;
          }
        },
        Duration.ofSeconds(60),
        "the replica is in sync");
  }

  @AfterAll
  static void stopServers() {
    master.close();
    replica.close();
    lonely.close();
  }

  private IdempotentOperation<String> operation(RedisIdempotencyStore store, String namespace) {
    return IdempotencyEngine.builder()
        .store(store)
        .listener(events::add)
        .build()
        .operation(namespace, String.class)
        .build();
  }

  private String body(String key) {
    bodies.incrementAndGet();
    return "receipt " + key;
  }

  @Test
  void durableCallReturnsOnlyOnceTheReplicaHoldsTheCompletedRecord() throws Exception {
    try (RedisIdempotencyStore store =
        RedisIdempotencyStore.builder(master.uri())
            .keyPrefix("held:")
            .durability(Durability.replicas(1, Duration.ofSeconds(5)))
            .build()) {
      IdempotentOperation<String> operation = operation(store, "held");
      for (int i = 0; i < 20; i++) {
        String key = "k" + i;
        assertEquals("receipt " + key, operation.execute(key, () -> body(key)));
        // No polling: WAIT returned, so the replica has applied the completion already.
        assertEquals("c", replica.cli("HGET", "held:4:held:" + key, "s").trim(), key);
      }
      assertEquals(20, bodies.get());
    }
  }

  @Test
  void waitFollowsEachDurableWriteAndNothingElse() throws Exception {
    long[] perMode = new long[3];
    Durability[] modes = {
      Durability.none(),
      Durability.replicas(1, Duration.ofSeconds(5)).completionsOnly(),
      Durability.replicas(1, Duration.ofSeconds(5))
    };
    for (int m = 0; m < modes.length; m++) {
      try (RedisIdempotencyStore store =
          RedisIdempotencyStore.builder(master.uri())
              .keyPrefix("count" + m + ":")
              .durability(modes[m])
              .build()) {
        IdempotentOperation<String> operation = operation(store, "count");
        operation.execute("warm", () -> body("warm"));
        long waits = master.commandCalls("wait");
        long scripts = master.commandCalls("evalsha") + master.commandCalls("eval");
        operation.execute("first", () -> body("first"));
        long firstWaits = master.commandCalls("wait") - waits;
        long firstScripts = master.commandCalls("evalsha") + master.commandCalls("eval") - scripts;
        operation.execute("first", () -> body("first"));
        long hitWaits = master.commandCalls("wait") - waits - firstWaits;
        assertEquals(2, firstScripts, modes[m] + ": acquire and complete");
        assertEquals(0, hitWaits, modes[m] + ": a duplicate writes nothing and waits for nothing");
        perMode[m] = firstWaits;
        System.out.println(
            "durability round trips: "
                + modes[m]
                + ": first call "
                + (firstScripts + firstWaits)
                + " ("
                + firstWaits
                + " WAIT), duplicate 1 (0 WAIT)");
      }
    }
    assertEquals(0, perMode[0]);
    assertEquals(1, perMode[1]);
    assertEquals(2, perMode[2]);
  }

  @Test
  void acquireFailsClosedAndFreesTheKeyWhenTooFewReplicasAcknowledge() throws Exception {
    try (RedisIdempotencyStore store =
        RedisIdempotencyStore.builder(lonely.uri())
            .keyPrefix("closed:")
            .durability(Durability.replicas(1, Duration.ofMillis(100)))
            .build()) {
      IdempotentOperation<String> operation = operation(store, "closed");
      IdempotencyStoreException e =
          assertThrows(
              IdempotencyStoreException.class, () -> operation.execute("k", () -> body("k")));
      assertEquals(0, bodies.get(), "the body must not run on a record a failover could lose");
      assertTrue(e.getMessage().contains("only 0 of 1 replica(s) acknowledged"), e.getMessage());
      assertTrue(e.getMessage().contains("Durability.replicas"), e.getMessage());
      assertEquals("0", lonely.cli("EXISTS", "closed:6:closed:k").trim(), "the key was freed");
    }
  }

  @Test
  void completionWithoutAcknowledgementIsAStoreFailureAndTheCallerGetsItsResult() throws Exception {
    try (RedisIdempotencyStore store =
        RedisIdempotencyStore.builder(lonely.uri())
            .keyPrefix("late:")
            .durability(Durability.replicas(1, Duration.ofMillis(100)).completionsOnly())
            .build()) {
      IdempotentOperation<String> operation = operation(store, "late");
      assertEquals("receipt k", operation.execute("k", () -> body("k")));
      assertEquals(1, bodies.get());
      IdempotencyEvent failure =
          events.stream()
              .filter(event -> event.type() == IdempotencyEvent.Type.STORE_FAILURE)
              .findFirst()
              .orElseThrow(() -> new AssertionError("no STORE_FAILURE among " + events));
      assertTrue(
          failure.failure().getMessage().contains("complete was written on the master, but only 0"),
          failure.failure().getMessage());
      // The master kept the completion: a duplicate replays it while the master lives.
      assertEquals("receipt k", operation.execute("k", () -> body("k")));
      assertEquals(1, bodies.get());
    }
  }

  @Test
  void completionSentAgainAfterItLandedIsNotTakenForALostLease() throws Exception {
    RedisClient client = RedisClient.create(lonely.uri());
    try (StatefulRedisConnection<byte[], byte[]> connection =
        client.connect(ByteArrayCodec.INSTANCE)) {
      ScriptRunner runner =
          new ScriptRunner(
              connection,
              MasterRoute.single(connection),
              Durability.none(),
              Duration.ofSeconds(2),
              List.of());
      byte[] key = "again:k".getBytes(StandardCharsets.UTF_8);
      byte[] token = "t1".getBytes(StandardCharsets.US_ASCII);
      byte[] outcome = "{\"v\":1}".getBytes(StandardCharsets.UTF_8);
      List<byte[]> acquired =
          runner.run(
              RecordScript.ACQUIRE,
              () -> new ValueListOutput<>(ByteArrayCodec.INSTANCE),
              key,
              token,
              60_000L);
      assertTrue(acquired.isEmpty(), "acquired");
      assertEquals(1L, complete(runner, RecordScript.COMPLETE, key, token, outcome));
      // The first attempt landed; its answer was lost with the connection. Sent again:
      assertEquals(1L, complete(runner, RecordScript.COMPLETE_AGAIN, key, token, outcome));
      assertEquals(0L, complete(runner, RecordScript.COMPLETE, key, token, outcome));
      byte[] other = "{\"v\":2}".getBytes(StandardCharsets.UTF_8);
      assertEquals(0L, complete(runner, RecordScript.COMPLETE_AGAIN, key, token, other));
      assertEquals("{\"v\":1}", lonely.cli("HGET", "again:k", "o").trim());
    } finally {
      client.shutdown();
    }
  }

  private static Long complete(
      ScriptRunner runner, RecordScript script, byte[] key, byte[] token, byte[] outcome) {
    return runner.run(
        script, () -> new IntegerOutput<>(ByteArrayCodec.INSTANCE), key, token, 60_000L, outcome);
  }

  @Test
  void settingsAreCheckedAndNamed() {
    IllegalArgumentException none =
        assertThrows(
            IllegalArgumentException.class, () -> Durability.replicas(0, Duration.ofSeconds(1)));
    assertTrue(none.getMessage().contains("Durability.none()"), none.getMessage());
    IllegalArgumentException forever =
        assertThrows(IllegalArgumentException.class, () -> Durability.replicas(1, Duration.ZERO));
    assertTrue(forever.getMessage().contains("WAIT 0 would wait forever"), forever.getMessage());
    assertThrows(IllegalStateException.class, () -> Durability.none().completionsOnly());
    assertThrows(
        IllegalArgumentException.class,
        () ->
            Durability.replicas(1, Duration.ofSeconds(1)).completionRetry(Duration.ofSeconds(-1)));
    Durability durable = Durability.replicas(2, Duration.ofSeconds(1));
    assertEquals(durable, Durability.replicas(2, Duration.ofSeconds(1)));
    assertNotEquals(durable, durable.completionsOnly());
    assertTrue(durable.coversAcquire());
    assertEquals(Durability.DEFAULT_COMPLETION_RETRY, durable.completionRetry());
    assertEquals(Duration.ZERO, durable.completionRetry(Duration.ZERO).completionRetry());
  }
}
