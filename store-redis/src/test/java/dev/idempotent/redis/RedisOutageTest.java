package dev.idempotent.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.idempotent.IdempotencyEngine;
import dev.idempotent.IdempotencyStoreException;
import dev.idempotent.IdempotentOperation;
import dev.idempotent.testing.RequiresServer;
import dev.idempotent.testing.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A private Redis is stopped while calls run and started again on the same port: while it is down
 * every call fails closed with {@link IdempotencyStoreException} and no body runs; once it is back,
 * calls succeed again without rebuilding the store. The shared server on 6379 is never touched.
 */
@RequiresServer(TestServer.REDIS_PROGRAMS)
class RedisOutageTest {
  private static final int THREADS = 4;

  private PrivateRedis server;
  private RedisIdempotencyStore store;
  private IdempotentOperation<String> operation;
  private final AtomicInteger executions = new AtomicInteger();
  private final ConcurrentLinkedQueue<Call> calls = new ConcurrentLinkedQueue<>();

  /** One call as a worker saw it; times from System.nanoTime. */
  private static final class Call {
    final String key;
    final long started;
    volatile long bodyStarted;
    long ended;
    String result;
    Throwable failure;

    Call(String key, long started) {
      this.key = key;
      this.started = started;
    }

    boolean bodyRan() {
      return bodyStarted != 0;
    }
  }

  @BeforeEach
  void start() throws Exception {
    server = PrivateRedis.start();
    store =
        RedisIdempotencyStore.builder(server.uri()).commandTimeout(Duration.ofMillis(500)).build();
    operation =
        IdempotencyEngine.builder()
            .store(store)
            .build()
            .operation("outage", String.class)
            .lease(Duration.ofSeconds(10))
            .build();
  }

  @AfterEach
  void stop() {
    try {
      if (store != null) {
        store.close();
      }
    } finally {
      server.close();
    }
  }

  @Test
  void callsFailClosedWhileRedisIsDownAndSucceedOnceItIsBack() throws Exception {
    AtomicBoolean running = new AtomicBoolean(true);
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      String name = "w" + t;
      Thread worker = new Thread(() -> work(name, running), "outage-" + name);
      worker.start();
      workers.add(worker);
    }
    Thread.sleep(700);
    server.stop();
    long stopped = System.nanoTime();
    Thread.sleep(1500);
    long restarting = System.nanoTime();
    server.restart();
    long restarted = System.nanoTime();
    long recovered = awaitSuccessesAfter(restarted, 5 * THREADS, Duration.ofSeconds(60));
    running.set(false);
    for (Thread worker : workers) {
      worker.join(30_000);
    }

    int ranBeforeStop = 0;
    int failedClosed = 0;
    int failedDuringOutage = 0;
    int succeededAfterRestart = 0;
    int replayedAfterRestart = 0;
    int bodies = 0;
    for (Call call : calls) {
      bodies += call.bodyRan() ? 1 : 0;
      if (call.failure != null) {
        assertTrue(
            call.failure instanceof IdempotencyStoreException,
            "only store failures are expected: " + call.failure);
        assertFalse(call.bodyRan(), "a call that failed closed ran its body: " + call.key);
        failedClosed++;
        if (call.started > stopped && call.ended < restarting) {
          failedDuringOutage++;
        }
      } else {
        assertTrue(
            call.started < stopped || call.started > restarting,
            "a call succeeded while the server was down: " + call.key);
        ranBeforeStop += call.bodyRan() && call.started < stopped ? 1 : 0;
        if (call.started > restarted) {
          succeededAfterRestart++;
          replayedAfterRestart += call.bodyRan() ? 0 : 1;
        }
      }
      if (call.bodyRan()) {
        assertFalse(
            call.bodyStarted > stopped && call.bodyStarted < restarting,
            "a body ran while the server was down: " + call.key);
      }
    }
    assertEquals(bodies, executions.get(), "every execution belongs to a call that acquired");
    assertTrue(ranBeforeStop > 0, "calls ran before the stop");
    assertTrue(failedDuringOutage > 0, "calls failed while the server was down");
    assertTrue(succeededAfterRestart >= 5 * THREADS, "calls succeeded after the restart");
    assertTrue(replayedAfterRestart > 0, "duplicates replayed after the restart");
    System.out.println(
        "outage: "
            + calls.size()
            + " calls; "
            + ranBeforeStop
            + " bodies ran before the stop; "
            + failedClosed
            + " calls failed closed with IdempotencyStoreException ("
            + failedDuringOutage
            + " entirely while the server was down), 0 bodies ran while it was down; after the"
            + " restart calls succeeded again within "
            + (recovered - restarted) / 1_000_000
            + " ms ("
            + succeededAfterRestart
            + " calls, "
            + replayedAfterRestart
            + " of them replays)");
  }

  /**
   * Calls the operation in a loop: each key twice in a row, so the second call is a duplicate that
   * replays when the store is up.
   */
  private void work(String name, AtomicBoolean running) {
    for (int n = 0; running.get(); n++) {
      Call call = new Call(name + "-" + (n / 2), System.nanoTime());
      try {
        call.result =
            operation.execute(
                call.key,
                () -> {
                  call.bodyStarted = System.nanoTime();
                  executions.incrementAndGet();
                  sleep(5);
                  return "result of " + call.key;
                });
      } catch (RuntimeException e) {
        call.failure = e;
      }
      call.ended = System.nanoTime();
      calls.add(call);
      sleep(5);
    }
  }

  /** Waits until {@code count} calls that started after {@code since} succeeded; returns when. */
  private long awaitSuccessesAfter(long since, int count, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      long successes = calls.stream().filter(c -> c.failure == null && c.started > since).count();
      if (successes >= count) {
        return calls.stream()
            .filter(c -> c.failure == null && c.started > since)
            .mapToLong(c -> c.ended)
            .min()
            .orElseThrow();
      }
      Thread.sleep(20);
    }
    throw new AssertionError("calls did not succeed again within " + timeout + " of the restart");
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
