package dev.idempotent.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.idempotent.IdempotencyEngine;
import dev.idempotent.IdempotencyEvent;
import dev.idempotent.IdempotencyInProgressException;
import dev.idempotent.Idempotent;
import dev.idempotent.store.Acquisition;
import dev.idempotent.store.CaffeineIdempotencyStore;
import dev.idempotent.store.IdempotencyKey;
import dev.idempotent.store.Outcome;
import dev.idempotent.testing.FakeTicker;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LeaseAndWaitTest {
  private static final String NAMESPACE = Jobs.class.getName() + ".run(java.lang.String)";

  private final ExecutorService pool = Executors.newCachedThreadPool();
  private final List<IdempotencyEvent> events = new CopyOnWriteArrayList<>();

  @AfterEach
  void stopPool() {
    pool.shutdownNow();
  }

  static class Jobs {
    final AtomicInteger runs = new AtomicInteger();
    volatile CountDownLatch entered = new CountDownLatch(1);
    volatile CountDownLatch gate = new CountDownLatch(0);

    @Idempotent(keyExpr = "#p0", lease = "10s", waitTimeout = "5s")
    String run(String key) throws InterruptedException {
      int n = runs.incrementAndGet();
      entered.countDown();
      gate.await();
      return "run-" + n;
    }
  }

  private IdempotencyEngine engine(CaffeineIdempotencyStore store, FakeTicker ticker) {
    IdempotencyEngine.Builder b =
        IdempotencyEngine.builder().store(store).renewLeases(false).listener(events::add);
    if (ticker != null) {
      b.ticker(ticker);
    }
    return b.build();
  }

  @Test
  void expiredLeaseOfADeadOwnerIsTakenOverAndTheDeadOwnerCannotComplete() throws Throwable {
    FakeTicker ticker = new FakeTicker();
    CaffeineIdempotencyStore store =
        CaffeineIdempotencyStore.builder().ticker(ticker).executor(Runnable::run).build();
    Calls calls = new Calls(engine(store, ticker));
    Jobs jobs = new Jobs();
    IdempotencyKey key = IdempotencyKey.of(NAMESPACE, "k");
    Acquisition dead = store.acquire(key, null, Duration.ofSeconds(10));

    ticker.advance(Duration.ofSeconds(11));
    assertEquals("run-1", calls.call(jobs, "run", "k"));

    assertFalse(
        store.complete(key, dead.token(), Outcome.returned("from-the-dead"), Duration.ofHours(1)));
    assertEquals("run-1", calls.call(jobs, "run", "k"));
    assertEquals(1, jobs.runs.get());
  }

  @Test
  void bodyThatOutlivesItsLeaseIsTakenOverAndItsLateCompletionIsRefusedAndReported()
      throws Throwable {
    FakeTicker ticker = new FakeTicker();
    CaffeineIdempotencyStore store =
        CaffeineIdempotencyStore.builder().ticker(ticker).executor(Runnable::run).build();
    Calls calls = new Calls(engine(store, ticker));
    Jobs slow = new Jobs();
    slow.gate = new CountDownLatch(1);
    Future<Object> first = pool.submit(() -> callUnchecked(calls, slow, "k"));
    assertTrue(slow.entered.await(10, TimeUnit.SECONDS));

    ticker.advance(Duration.ofSeconds(11));
    Jobs fast = new Jobs();
    assertEquals("run-1", calls.call(fast, "run", "k"), "the second caller took over");

    slow.gate.countDown();
    assertEquals("run-1", first.get(10, TimeUnit.SECONDS), "the slow body's own result");
    assertTrue(
        events.stream().anyMatch(e -> e.type() == IdempotencyEvent.Type.STALE_COMPLETION),
        "stale completion reported: " + events);
    Jobs third = new Jobs();
    assertEquals("run-1", calls.call(third, "run", "k"));
    assertEquals(0, third.runs.get(), "the record is the new owner's");
  }

  @Test
  void leaseOfALongBodyIsRenewedSoNobodyTakesItOver() throws Throwable {
    CaffeineIdempotencyStore store = CaffeineIdempotencyStore.create();
    IdempotencyEngine engine = IdempotencyEngine.builder().store(store).build();
    Calls calls = new Calls(engine);
    Jobs jobs = new ShortLease();
    jobs.gate = new CountDownLatch(1);
    Future<Object> first = pool.submit(() -> callUnchecked(calls, jobs, "k"));
    assertTrue(jobs.entered.await(10, TimeUnit.SECONDS));
    IdempotencyKey key =
        IdempotencyKey.of(ShortLease.class.getName() + ".run(java.lang.String)", "k");
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
    while (System.nanoTime() < until) {
      assertEquals(
          Acquisition.Status.IN_PROGRESS,
          store.acquire(key, null, Duration.ofSeconds(1)).status(),
          "a live owner is never taken over");
      Thread.sleep(50);
    }
    jobs.gate.countDown();
    assertEquals("run-1", first.get(10, TimeUnit.SECONDS));
    assertEquals(1, jobs.runs.get());
  }

  /** A lease of one second: without renewal it would run out during the three-second check. */
  static final class ShortLease extends Jobs {
    @Override
    @Idempotent(keyExpr = "#p0", lease = "1s")
    String run(String key) throws InterruptedException {
      return super.run(key);
    }
  }

  @Test
  void duplicateInThisJvmJoinsTheRunningCallWithoutPolling() throws Throwable {
    CaffeineIdempotencyStore store = CaffeineIdempotencyStore.create();
    IdempotencyEngine engine =
        IdempotencyEngine.builder()
            .store(store)
            .pollBackoff(Duration.ofMinutes(10), Duration.ofMinutes(10))
            .build();
    Calls calls = new Calls(engine);
    Jobs jobs = new Jobs();
    jobs.gate = new CountDownLatch(1);
    Future<Object> first = pool.submit(() -> callUnchecked(calls, jobs, "k"));
    assertTrue(jobs.entered.await(10, TimeUnit.SECONDS));
    Future<Object> duplicate = pool.submit(() -> callUnchecked(calls, jobs, "k"));
    Thread.sleep(50);
    assertFalse(duplicate.isDone());
    jobs.gate.countDown();
    assertEquals("run-1", first.get(10, TimeUnit.SECONDS));
    assertEquals(
        "run-1",
        duplicate.get(4, TimeUnit.SECONDS),
        "woken by the call's end, not by a 10-minute poll");
    assertEquals(1, jobs.runs.get());
  }

  @Test
  void duplicateOfACallInAnotherProcessPollsTheStoreUntilItCompletes() throws Throwable {
    CaffeineIdempotencyStore store = CaffeineIdempotencyStore.create();
    IdempotencyEngine engine =
        IdempotencyEngine.builder()
            .store(store)
            .listener(events::add)
            .pollBackoff(Duration.ofMillis(2), Duration.ofMillis(20))
            .build();
    Calls calls = new Calls(engine);
    Jobs jobs = new Jobs();
    IdempotencyKey key = IdempotencyKey.of(NAMESPACE, "k");
    Acquisition remote = store.acquire(key, null, Duration.ofSeconds(10));
    Future<Object> duplicate = pool.submit(() -> callUnchecked(calls, jobs, "k"));
    Thread.sleep(100);
    assertFalse(duplicate.isDone());
    store.complete(key, remote.token(), Outcome.returned("remote-result"), Duration.ofHours(1));
    assertEquals("remote-result", duplicate.get(10, TimeUnit.SECONDS));
    assertEquals(0, jobs.runs.get());
    assertTrue(events.stream().anyMatch(e -> e.type() == IdempotencyEvent.Type.WAITED));
  }

  @Test
  void duplicateGivesUpAfterTheWaitTimeout() {
    CaffeineIdempotencyStore store = CaffeineIdempotencyStore.create();
    Calls calls = new Calls(IdempotencyEngine.builder().store(store).build());
    store.acquire(
        IdempotencyKey.of(ShortWait.class.getName() + ".run(java.lang.String)", "k"),
        null,
        Duration.ofMinutes(5));
    IdempotencyInProgressException e =
        assertThrows(
            IdempotencyInProgressException.class, () -> calls.call(new ShortWait(), "run", "k"));
    assertTrue(
        e.getMessage().contains("still running after waiting 200ms (waitTimeout)"), e.getMessage());
  }

  static final class ShortWait extends Jobs {
    @Override
    @Idempotent(keyExpr = "#p0", waitTimeout = "200ms")
    String run(String key) throws InterruptedException {
      return super.run(key);
    }
  }

  private static Object callUnchecked(Calls calls, Object target, String key) {
    try {
      return calls.call(target, "run", key);
    } catch (Throwable t) {
      throw new AssertionError(t);
    }
  }
}
