package dev.idempotent.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.idempotent.ExcludeFromFingerprint;
import dev.idempotent.IdempotencyEngine;
import dev.idempotent.IdempotencyInProgressException;
import dev.idempotent.Idempotent;
import dev.idempotent.InFlight;
import dev.idempotent.store.CaffeineIdempotencyStore;
import dev.idempotent.testing.FakeTicker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EngineProtocolTest {
  private final FakeTicker ticker = new FakeTicker();
  private final IdempotencyEngine engine =
      IdempotencyEngine.builder()
          .store(CaffeineIdempotencyStore.builder().ticker(ticker).executor(Runnable::run).build())
          .ticker(ticker)
          .build();
  private final Calls calls = new Calls(engine);
  private final Payments payments = new Payments();
  private final ExecutorService pool = Executors.newFixedThreadPool(64);

  @AfterEach
  void stopPool() {
    pool.shutdownNow();
  }

  static final class DeclinedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    DeclinedException(String message) {
      super(message);
    }
  }

  static final class Payments {
    final AtomicInteger charges = new AtomicInteger();
    final AtomicInteger failuresLeft = new AtomicInteger();
    volatile CountDownLatch gate = new CountDownLatch(0);
    final CountDownLatch entered = new CountDownLatch(1);

    @Idempotent(keyExpr = "#p0", ttl = "1h")
    String charge(String key, int amount) throws InterruptedException {
      gate.await();
      return "receipt-" + charges.incrementAndGet() + "-" + amount;
    }

    @Idempotent(keyExpr = "#p0", onInFlight = InFlight.REJECT)
    String chargeOrReject(String key) throws InterruptedException {
      entered.countDown();
      gate.await();
      return "receipt-" + charges.incrementAndGet();
    }

    @Idempotent(keyExpr = "#p0")
    String flaky(String key) {
      charges.incrementAndGet();
      if (failuresLeft.getAndDecrement() > 0) {
        throw new IllegalStateException("gateway timeout");
      }
      return "ok";
    }

    @Idempotent(keyExpr = "#p0", recordExceptions = DeclinedException.class)
    String declined(String key) {
      charges.incrementAndGet();
      throw new DeclinedException("card declined: insufficient funds");
    }

    @Idempotent(keyExpr = "#p0")
    String nothing(String key) {
      charges.incrementAndGet();
      return null;
    }

    @Idempotent(keyExpr = "#p0")
    void notify(String key) {
      charges.incrementAndGet();
    }

    @Idempotent(keyExpr = "#p0")
    Optional<String> lookup(String key, boolean present) {
      charges.incrementAndGet();
      return present ? Optional.of("found-" + charges.get()) : Optional.empty();
    }

    @Idempotent(keyExpr = "#p0")
    CompletableFuture<String> chargeAsync(
        String key, @ExcludeFromFingerprint CompletableFuture<String> result) {
      charges.incrementAndGet();
      return result;
    }

    @Idempotent(keyExpr = "#p0")
    CompletionStage<String> chargeStage(String key) {
      return CompletableFuture.supplyAsync(() -> "stage-" + charges.incrementAndGet());
    }

    @Idempotent(keyExpr = "#p0")
    int count(String key) {
      return charges.incrementAndGet();
    }
  }

  @Test
  void duplicateShortCircuitsAndGetsTheSameResult() throws Throwable {
    Object first = calls.call(payments, "charge", "k1", 100);
    Object second = calls.call(payments, "charge", "k1", 100);
    assertEquals(1, payments.charges.get());
    assertEquals("receipt-1-100", first);
    assertSame(first, second);
  }

  @Test
  void differentKeysRunSeparately() throws Throwable {
    assertEquals("receipt-1-100", calls.call(payments, "charge", "k1", 100));
    assertEquals("receipt-2-100", calls.call(payments, "charge", "k2", 100));
    assertEquals(2, payments.charges.get());
  }

  @Test
  void afterTheTtlTheBodyRunsAgain() throws Throwable {
    calls.call(payments, "charge", "k1", 100);
    ticker.advance(Duration.ofMinutes(59));
    calls.call(payments, "charge", "k1", 100);
    assertEquals(1, payments.charges.get(), "still within the 1h ttl");
    ticker.advance(Duration.ofMinutes(2));
    assertEquals("receipt-2-100", calls.call(payments, "charge", "k1", 100));
  }

  @Test
  void unrecordedExceptionReleasesTheKeySoARetryRunsAgain() throws Throwable {
    payments.failuresLeft.set(1);
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> calls.call(payments, "flaky", "k"));
    assertEquals("gateway timeout", e.getMessage());
    assertEquals("ok", calls.call(payments, "flaky", "k"));
    assertEquals("ok", calls.call(payments, "flaky", "k"));
    assertEquals(2, payments.charges.get());
  }

  @Test
  void recordedExceptionIsReplayedWithoutRunningTheBody() {
    DeclinedException first =
        assertThrows(DeclinedException.class, () -> calls.call(payments, "declined", "k"));
    DeclinedException second =
        assertThrows(DeclinedException.class, () -> calls.call(payments, "declined", "k"));
    assertEquals("card declined: insufficient funds", second.getMessage());
    assertSame(first, second, "the in-memory store replays the exception itself");
    assertEquals(1, payments.charges.get());
  }

  @Test
  void nullResultIsRecordedAndReplayed() throws Throwable {
    assertNull(calls.call(payments, "nothing", "k"));
    assertNull(calls.call(payments, "nothing", "k"));
    assertEquals(1, payments.charges.get());
  }

  @Test
  void voidMethodRunsOnce() throws Throwable {
    calls.call(payments, "notify", "k");
    calls.call(payments, "notify", "k");
    assertEquals(1, payments.charges.get());
  }

  @Test
  void optionalResultsAreReplayedPresentAndEmpty() throws Throwable {
    assertEquals(Optional.of("found-1"), calls.call(payments, "lookup", "a", true));
    assertEquals(Optional.of("found-1"), calls.call(payments, "lookup", "a", true));
    assertEquals(Optional.empty(), calls.call(payments, "lookup", "b", false));
    assertEquals(Optional.empty(), calls.call(payments, "lookup", "b", false));
    assertEquals(2, payments.charges.get());
  }

  @Test
  void primitiveResultIsReplayed() throws Throwable {
    assertEquals(1, calls.call(payments, "count", "k"));
    assertEquals(1, calls.call(payments, "count", "k"));
  }

  @Test
  void completableFutureRecordCompletesWhenTheFutureDoes() throws Throwable {
    CompletableFuture<String> pending = new CompletableFuture<>();
    @SuppressWarnings("unchecked")
    CompletableFuture<String> first =
        (CompletableFuture<String>) calls.call(payments, "chargeAsync", "k", pending);
    assertFalse(first.isDone());
    pending.complete("async-receipt");
    assertEquals("async-receipt", first.get(10, TimeUnit.SECONDS));
    @SuppressWarnings("unchecked")
    CompletableFuture<String> replay =
        (CompletableFuture<String>)
            calls.call(payments, "chargeAsync", "k", new CompletableFuture<String>());
    assertEquals("async-receipt", replay.get(10, TimeUnit.SECONDS));
    assertEquals(1, payments.charges.get());
  }

  @Test
  void failedFutureReleasesTheKey() throws Throwable {
    CompletableFuture<String> failing = new CompletableFuture<>();
    CompletableFuture<?> first =
        (CompletableFuture<?>) calls.call(payments, "chargeAsync", "k", failing);
    failing.completeExceptionally(new IllegalStateException("gateway down"));
    Exception e = assertThrows(Exception.class, () -> first.get(10, TimeUnit.SECONDS));
    assertEquals("gateway down", e.getCause().getMessage());
    CompletableFuture<?> retry =
        (CompletableFuture<?>)
            calls.call(payments, "chargeAsync", "k", CompletableFuture.completedFuture("second"));
    assertEquals("second", retry.get(10, TimeUnit.SECONDS));
    assertEquals(2, payments.charges.get());
  }

  @Test
  void completionStageIsReplayedAsACompletedStage() throws Throwable {
    CompletionStage<?> first = (CompletionStage<?>) calls.call(payments, "chargeStage", "k");
    assertEquals("stage-1", first.toCompletableFuture().get(10, TimeUnit.SECONDS));
    CompletionStage<?> second = (CompletionStage<?>) calls.call(payments, "chargeStage", "k");
    assertEquals("stage-1", second.toCompletableFuture().get(10, TimeUnit.SECONDS));
    assertEquals(1, payments.charges.get());
  }

  @Test
  void sixtyFourThreadsOnOneKeyWaitAndGetTheSameResult() throws Exception {
    payments.gate = new CountDownLatch(1);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Object>> results = new ArrayList<>();
    for (int i = 0; i < 64; i++) {
      results.add(
          pool.submit(
              () -> {
                start.await();
                try {
                  return calls.call(payments, "charge", "hot", 5);
                } catch (Throwable t) {
                  throw new AssertionError(t);
                }
              }));
    }
    start.countDown();
    Thread.sleep(100);
    payments.gate.countDown();
    Set<Object> distinct = ConcurrentHashMap.newKeySet();
    for (Future<Object> f : results) {
      distinct.add(f.get(30, TimeUnit.SECONDS));
    }
    assertEquals(1, payments.charges.get());
    assertEquals(Set.of("receipt-1-5"), distinct);
  }

  @Test
  void sixtyFourThreadsOnOneKeyWithRejectRunOnceAndRejectTheOthers() throws Exception {
    payments.gate = new CountDownLatch(1);
    AtomicInteger rejected = new AtomicInteger();
    CountDownLatch othersDone = new CountDownLatch(63);
    Future<Object> owner =
        pool.submit(
            () -> {
              try {
                return calls.call(payments, "chargeOrReject", "hot");
              } catch (Throwable t) {
                throw new AssertionError(t);
              }
            });
    assertTrue(payments.entered.await(30, TimeUnit.SECONDS));
    for (int i = 0; i < 63; i++) {
      pool.submit(
          () -> {
            try {
              calls.call(payments, "chargeOrReject", "hot");
            } catch (IdempotencyInProgressException e) {
              rejected.incrementAndGet();
            } catch (Throwable t) {
              t.printStackTrace();
            } finally {
              othersDone.countDown();
            }
            return null;
          });
    }
    assertTrue(othersDone.await(30, TimeUnit.SECONDS));
    payments.gate.countDown();
    assertEquals("receipt-1", owner.get(30, TimeUnit.SECONDS));
    assertEquals(63, rejected.get());
    assertEquals(1, payments.charges.get());
  }

  @Test
  void sixtyFourThreadsOnAThousandKeysRunExactlyAThousandTimes() throws Exception {
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> work = new ArrayList<>();
    ConcurrentHashMap<String, Set<Object>> resultsPerKey = new ConcurrentHashMap<>();
    for (int t = 0; t < 64; t++) {
      int offset = t;
      work.add(
          pool.submit(
              () -> {
                start.await();
                for (int i = 0; i < 1_000; i++) {
                  String key = "key-" + ((i + offset * 13) % 1_000);
                  try {
                    Object r = calls.call(payments, "charge", key, 1);
                    resultsPerKey.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet()).add(r);
                  } catch (Throwable e) {
                    throw new AssertionError(e);
                  }
                }
                return null;
              }));
    }
    start.countDown();
    for (Future<?> f : work) {
      f.get(120, TimeUnit.SECONDS);
    }
    assertEquals(1_000, payments.charges.get());
    assertEquals(1_000, resultsPerKey.size());
    resultsPerKey.forEach((k, v) -> assertEquals(1, v.size(), "one result for " + k));
  }

  @Test
  void reentrantCallWithTheSameKeyFailsFastInsteadOfDeadlocking() {
    Reentrant fixture = new Reentrant(calls);
    IdempotencyInProgressException e =
        assertThrows(IdempotencyInProgressException.class, () -> calls.call(fixture, "outer", "k"));
    assertTrue(e.getMessage().contains("re-entrant call"), e.getMessage());
    assertTrue(e.getMessage().contains("Reentrant.outer(String)"), e.getMessage());
    assertEquals(1, fixture.runs, "the nested call ran its body unprotected");
  }

  /** Calls itself once, from inside its body, with the same argument. */
  static final class Reentrant {
    private final Calls calls;
    int runs;

    Reentrant(Calls calls) {
      this.calls = calls;
    }

    @Idempotent(keyExpr = "#p0")
    String outer(String key) throws Throwable {
      if (++runs > 1) {
        return "nested run " + runs;
      }
      return (String) calls.call(this, "outer", key);
    }
  }
}
