package dev.idempotent.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.idempotent.IdempotencyEngine;
import dev.idempotent.IdempotentOperation;
import dev.idempotent.store.Acquisition;
import dev.idempotent.store.IdempotencyKey;
import dev.idempotent.testing.ChildJvm;
import dev.idempotent.testing.RequiresServer;
import dev.idempotent.testing.TestServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Owners that die or freeze mid-body, in child JVMs on the shared Redis: a live owner keeps its key
 * by renewing the lease; a killed owner's lease runs out and another process takes over and runs
 * the body once more; a frozen owner that wakes after the takeover cannot overwrite the new owner's
 * outcome. The children call the woven {@link Ledger#settle}, whose lease is {@link
 * Ledger#SETTLE_LEASE_MILLIS}.
 */
@RequiresServer({TestServer.REDIS, TestServer.REDIS_PROGRAMS})
class RedisCrashTest {
  private static final long LEASE_MILLIS = Ledger.SETTLE_LEASE_MILLIS;
  private static final List<String> JVM = List.of("-Xmx128m", "-XX:+UseSerialGC");

  private String prefix;
  private RedisClient client;
  private StatefulRedisConnection<String, String> connection;
  private RedisCommands<String, String> redis;
  private RedisIdempotencyStore store;

  @BeforeEach
  void connect() {
    prefix = SharedRedis.uniquePrefix();
    client = SharedRedis.client();
    connection = client.connect();
    redis = connection.sync();
    store = RedisIdempotencyStore.builder(client).keyPrefix(prefix).build();
  }

  @AfterEach
  void cleanUp() {
    store.close();
    connection.close();
    SharedRedis.deleteKeys(prefix);
    client.shutdown();
  }

  @Test
  void killedOwnersLeaseRunsOutAndAnotherProcessRunsTheBodyOnceMore() throws Exception {
    String key = "order-1";
    ChildJvm owner = holder(key, "hang");
    ChildJvm successor = null;
    try {
      owner.awaitLine(line -> line.startsWith("BODY-STARTED"), Duration.ofSeconds(90));
      // Started only now, so it cannot overtake the owner; it waits on the owner's record.
      successor = holder(key, "quick");
      successor.awaitLine(line -> line.startsWith("CALLING"), Duration.ofSeconds(90));

      // The live owner renews: three leases later its record is still in progress.
      Thread.sleep(3 * LEASE_MILLIS);
      assertEquals(
          Acquisition.Status.IN_PROGRESS,
          store
              .acquire(IdempotencyKey.of(Ledger.SETTLEMENTS, key), null, Duration.ofHours(1))
              .status());
      assertEquals(
          1, redis.llen(prefix + "executions"), "the successor waited while the owner lived");

      owner.kill();
      long killed = System.nanoTime();
      successor.awaitLine(line -> line.startsWith("BODY-STARTED"), Duration.ofSeconds(30));
      long takeoverMillis = (System.nanoTime() - killed) / 1_000_000;
      String result = successor.awaitLine(l -> l.startsWith("RESULT"), Duration.ofSeconds(30));
      assertEquals(0, successor.awaitExit(Duration.ofSeconds(30)));

      List<String> executions = redis.lrange(prefix + "executions", 0, -1);
      assertEquals(
          List.of(owner.pid() + " hang", successor.pid() + " quick"),
          executions,
          "the killed owner's execution, then exactly one more");
      String[] receipt = result.split(" ");
      assertEquals(Long.toString(successor.pid()), receipt[2]);
      assertEquals(receipt[1], replay(key).id(), "the record holds the successor's outcome");
      assertTrue(takeoverMillis < LEASE_MILLIS + 5_000, "takeover after " + takeoverMillis + " ms");
      System.out.println(
          "crash: owner (pid "
              + owner.pid()
              + ") held its "
              + LEASE_MILLIS
              + " ms lease for "
              + 3 * LEASE_MILLIS
              + " ms by renewing, was killed with SIGKILL mid-body; pid "
              + successor.pid()
              + " took over "
              + takeoverMillis
              + " ms later; executions: "
              + executions.size()
              + " (1 by the killed owner, never completed; 1 by the successor, completed)");
    } finally {
      owner.close();
      if (successor != null) {
        successor.close();
      }
    }
  }

  @Test
  void frozenOwnerThatWakesAfterATakeoverCannotOverwriteTheNewOutcome() throws Exception {
    String key = "order-2";
    ChildJvm owner = holder(key, "slow");
    ChildJvm successor = null;
    try {
      owner.awaitLine(line -> line.startsWith("BODY-STARTED"), Duration.ofSeconds(90));
      signal("STOP", owner.pid());
      successor = holder(key, "quick");
      String result = successor.awaitLine(l -> l.startsWith("RESULT"), Duration.ofSeconds(90));
      assertEquals(0, successor.awaitExit(Duration.ofSeconds(30)));
      signal("CONT", owner.pid());
      String stale = owner.awaitLine(l -> l.startsWith("RESULT"), Duration.ofSeconds(30));
      assertEquals(0, owner.awaitExit(Duration.ofSeconds(30)));

      assertTrue(
          owner.lines().contains("EVENT STALE_COMPLETION"), String.join("\n", owner.lines()));
      assertTrue(successor.lines().contains("EVENT EXECUTED"));
      String successorsReceipt = result.split(" ")[1];
      assertNotEquals(successorsReceipt, stale.split(" ")[1]);
      assertEquals(successorsReceipt, replay(key).id(), "the successor's outcome stays");
      assertEquals(2, redis.llen(prefix + "executions"));
      System.out.println(
          "fencing: owner (pid "
              + owner.pid()
              + ") frozen with SIGSTOP past its lease; pid "
              + successor.pid()
              + " took over and completed; the woken owner's completion was refused"
              + " (STALE_COMPLETION) and the record kept the successor's outcome");
    } finally {
      if (owner.isAlive()) {
        signal("CONT", owner.pid());
      }
      owner.close();
      if (successor != null) {
        successor.close();
      }
    }
  }

  private ChildJvm holder(String key, String mode) throws Exception {
    return ChildJvm.start(LeaseHolder.class, JVM, SharedRedis.URI, prefix, key, mode);
  }

  /** What a new caller in this process gets for the key, read from the store by its namespace. */
  private Receipt replay(String key) {
    IdempotentOperation<Receipt> operation =
        IdempotencyEngine.builder()
            .store(store)
            .build()
            .operation(Ledger.SETTLEMENTS, Receipt.class)
            .build();
    return operation.execute(
        key,
        () -> {
          throw new AssertionError("a completed key ran again");
        });
  }

  private static void signal(String signal, long pid) throws Exception {
    PrivateRedis.run(List.of("kill", "-" + signal, Long.toString(pid)));
  }
}
