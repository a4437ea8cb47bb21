package dev.idempotent.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.idempotent.IdempotencyEngine;
import dev.idempotent.IdempotencyStoreException;
import dev.idempotent.IdempotentOperation;
import dev.idempotent.store.Acquisition;
import dev.idempotent.store.IdempotencyKey;
import dev.idempotent.testing.RequiresServer;
import dev.idempotent.testing.TestServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.event.command.CommandListener;
import io.lettuce.core.event.command.CommandStartedEvent;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Round trips per operation, counted twice: by a Lettuce command listener on the client (every
 * command sent is one round trip, since each waits for its answer) and by the private server's own
 * {@code INFO commandstats}.
 */
@RequiresServer(TestServer.REDIS_PROGRAMS)
class RedisRoundTripTest {
  private static PrivateRedis server;

  private final Map<String, AtomicInteger> sent = new ConcurrentHashMap<>();
  private RedisClient client;
  private RedisIdempotencyStore store;
  private IdempotentOperation<String> operation;
  private final AtomicInteger bodies = new AtomicInteger();

  @BeforeAll
  static void startServer() throws Exception {
    server = PrivateRedis.start();
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @BeforeEach
  void connect() {
    client = RedisClient.create(server.uri());
    client.addListener(
        new CommandListener() {
          @Override
          public void commandStarted(CommandStartedEvent event) {
            sent.computeIfAbsent(event.getCommand().getType().toString(), t -> new AtomicInteger())
                .incrementAndGet();
          }
        });
    store = RedisIdempotencyStore.builder(client).build();
    operation =
        IdempotencyEngine.builder()
            .store(store)
            .build()
            .operation("round-trips", String.class)
            .build();
  }

  @AfterEach
  void disconnect() {
    store.close();
    client.shutdown();
  }

  @Test
  void firstCallCostsTwoRoundTripsAndADuplicateOne() throws Exception {
    loadScripts();

    Counts beforeFirst = counts();
    assertEquals("v1", operation.execute("k1", () -> body("v1")));
    Counts first = counts().minus(beforeFirst);

    Counts beforeHit = counts();
    assertEquals("v1", operation.execute("k1", () -> body("never")));
    Counts hit = counts().minus(beforeHit);

    Counts beforeFailure = counts();
    assertThrows(
        IllegalStateException.class,
        () ->
            operation.execute(
                "k2",
                () -> {
                  throw new IllegalStateException("not recorded");
                }));
    Counts failed = counts().minus(beforeFailure);

    assertEquals(1, bodies.get());
    assertEquals(Map.of("EVALSHA", 2), first.client, "first call: acquire + complete");
    assertEquals(2, first.serverEvalsha);
    assertEquals(Map.of("EVALSHA", 1), hit.client, "duplicate: acquire only");
    assertEquals(1, hit.serverEvalsha);
    assertEquals(Map.of("EVALSHA", 2), failed.client, "failed call: acquire + release");
    assertEquals(2, failed.serverEvalsha);
    System.out.println(
        "round trips: first call "
            + first.total()
            + " (acquire + complete), duplicate "
            + hit.total()
            + ", failed call "
            + failed.total()
            + " (acquire + release); server counted EVALSHA "
            + first.serverEvalsha
            + " / "
            + hit.serverEvalsha
            + " / "
            + failed.serverEvalsha);
  }

  @Test
  void scriptUnknownToTheServerCostsOneMoreRoundTripOnce() throws Exception {
    loadScripts();
    server.cli("SCRIPT", "FLUSH");

    Counts before = counts();
    assertEquals("v", operation.execute("after-flush", () -> body("v")));
    Counts afterFlush = counts().minus(before);

    Counts beforeNext = counts();
    operation.execute("next", () -> body("w"));
    Counts next = counts().minus(beforeNext);

    assertEquals(
        Map.of("EVALSHA", 2, "EVAL", 2),
        afterFlush.client,
        "acquire and complete each: EVALSHA answered NOSCRIPT, then EVAL");
    assertEquals(Map.of("EVALSHA", 2), next.client);
    System.out.println(
        "round trips after SCRIPT FLUSH: first call "
            + afterFlush.total()
            + " once (EVALSHA + EVAL per script), then "
            + next.total());
  }

  @Test
  void serverThatDoesNotAnswerFailsTheCallAfterTheCommandTimeout() throws Exception {
    try (RedisIdempotencyStore impatient =
        RedisIdempotencyStore.builder(server.uri())
            .commandTimeout(Duration.ofMillis(300))
            .build()) {
      IdempotencyKey key = IdempotencyKey.of("paused", "k");
      impatient.release(IdempotencyKey.of("paused", "warm-up"), "loads the script");
      server.cli("CLIENT", "PAUSE", "1500", "ALL");
      long started = System.nanoTime();
      IdempotencyStoreException e =
          assertThrows(
              IdempotencyStoreException.class,
              () -> impatient.acquire(key, null, Duration.ofSeconds(1)));
      long waitedMillis = (System.nanoTime() - started) / 1_000_000;
      assertTrue(e.getMessage().contains("namespace 'paused'"), e.getMessage());
      assertTrue(e.getMessage().contains("within 300 ms"), e.getMessage());
      assertTrue(waitedMillis >= 300 && waitedMillis < 1400, "waited " + waitedMillis + " ms");

      // The server ran the timed-out acquire once the pause ended: the key is held by a token
      // nobody knows until its lease runs out. This is why the docs advise a short lease.
      Thread.sleep(1500 - waitedMillis + 200);
      assertEquals(
          Acquisition.Status.IN_PROGRESS,
          impatient.acquire(key, null, Duration.ofSeconds(1)).status());
      Thread.sleep(1100);
      assertEquals(
          Acquisition.Status.ACQUIRED,
          impatient.acquire(key, null, Duration.ofSeconds(1)).status());
      System.out.println(
          "timeout: a paused server failed the acquire after " + waitedMillis + " ms");
    }
  }

  /** Runs every script once, so the server caches them (the first use of each costs an EVAL). */
  private void loadScripts() {
    operation.execute("warm-up", () -> "acquire and complete");
    assertThrows(
        IllegalStateException.class,
        () ->
            operation.execute(
                "warm-up-failing",
                () -> {
                  throw new IllegalStateException("release");
                }));
  }

  private String body(String value) {
    bodies.incrementAndGet();
    return value;
  }

  private Counts counts() throws Exception {
    Map<String, Integer> client = new TreeMap<>();
    sent.forEach((type, count) -> client.put(type, count.get()));
    return new Counts(client, server.commandCalls("evalsha"));
  }

  /** Commands sent by the client, by type, and EVALSHA calls counted by the server. */
  private static final class Counts {
    final Map<String, Integer> client;
    final long serverEvalsha;

    Counts(Map<String, Integer> client, long serverEvalsha) {
      this.client = client;
      this.serverEvalsha = serverEvalsha;
    }

    Counts minus(Counts earlier) {
      Map<String, Integer> delta = new TreeMap<>();
      client.forEach(
          (type, count) -> {
            int d = count - earlier.client.getOrDefault(type, 0);
            if (d != 0) {
              delta.put(type, d);
            }
          });
      return new Counts(delta, serverEvalsha - earlier.serverEvalsha);
    }

    int total() {
      return client.values().stream().mapToInt(Integer::intValue).sum();
    }
  }
}
