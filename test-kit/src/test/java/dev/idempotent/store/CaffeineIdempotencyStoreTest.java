package dev.idempotent.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.idempotent.test.FakeTicker;
import dev.idempotent.test.IdempotencyStoreContract;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class CaffeineIdempotencyStoreTest extends IdempotencyStoreContract {
  private final FakeTicker ticker = new FakeTicker();

  @Override
  protected IdempotencyStore createStore() {
    return CaffeineIdempotencyStore.builder().ticker(ticker).executor(Runnable::run).build();
  }

  @Override
  protected Duration shortDuration() {
    return Duration.ofSeconds(10);
  }

  @Override
  protected void elapse(Duration duration) {
    ticker.advance(duration);
  }

  @Test
  void replayReturnsTheSameInstanceWithoutSerializing() {
    Object receipt = new Object();
    Acquisition a = store.acquire(key("k"), null, longDuration());
    store.complete(key("k"), a.token(), Outcome.returned(receipt), longDuration());
    assertSame(receipt, store.acquire(key("k"), null, longDuration()).outcome().value());
  }

  @Test
  void recordedExceptionIsKeptAsTheObject() {
    IllegalStateException declined = new IllegalStateException("declined");
    Acquisition a = store.acquire(key("k"), null, longDuration());
    store.complete(key("k"), a.token(), Outcome.thrown(declined), longDuration());
    assertSame(declined, store.acquire(key("k"), null, longDuration()).outcome().exception());
  }

  @Test
  void maximumSizeBoundsTheNumberOfRecords() {
    CaffeineIdempotencyStore small =
        CaffeineIdempotencyStore.builder().maximumSize(100).executor(Runnable::run).build();
    for (int i = 0; i < 1_000; i++) {
      small.acquire(IdempotencyKey.of("ns", "k" + i), null, longDuration());
    }
    small.acquire(IdempotencyKey.of("ns", "last"), null, longDuration());
    assertTrue(small.estimatedSize() <= 100, "size " + small.estimatedSize());
  }

  @Test
  void anAbandonedRecordIsDroppedShortlyAfterItsLease() {
    CaffeineIdempotencyStore store = (CaffeineIdempotencyStore) this.store;
    store.acquire(key("abandoned"), null, shortDuration());
    ticker.advance(shortDuration().plusMinutes(5));
    store.acquire(key("next"), null, longDuration());
    assertEquals(1, store.estimatedSize());
  }

  @Test
  void aCompletedRecordIsKeptForItsTtlNotItsLease() {
    CaffeineIdempotencyStore store = (CaffeineIdempotencyStore) this.store;
    Acquisition a = store.acquire(key("k"), null, shortDuration());
    store.complete(key("k"), a.token(), Outcome.returned("v"), Duration.ofHours(1));
    ticker.advance(Duration.ofMinutes(59));
    store.acquire(key("next"), null, longDuration());
    assertEquals(2, store.estimatedSize());
    ticker.advance(Duration.ofMinutes(10));
    store.acquire(key("last"), null, longDuration());
    assertEquals(2, store.estimatedSize());
    assertEquals(
        Acquisition.Status.ACQUIRED, store.acquire(key("k"), null, longDuration()).status());
  }

  @Test
  void aRenewalRacingTheCompletionNeverShortensTheCompletedRecord() throws Exception {
    CaffeineIdempotencyStore store = (CaffeineIdempotencyStore) this.store;
    int keys = 2_000;
    for (int i = 0; i < keys; i++) {
      IdempotencyKey key = key("raced-" + i);
      Acquisition a = store.acquire(key, null, shortDuration());
      CountDownLatch renewing = new CountDownLatch(1);
      Thread keeper =
          new Thread(
              () -> {
                renewing.countDown();
                while (store.renew(key, a.token(), shortDuration())) {
                  Thread.onSpinWait();
                }
              });
      keeper.start();
      renewing.await();
      assertTrue(store.complete(key, a.token(), Outcome.returned("v"), Duration.ofHours(1)));
      keeper.join();
    }
    ticker.advance(shortDuration().plusMinutes(5));
    for (int i = 0; i < keys; i++) {
      assertEquals(
          Acquisition.Status.COMPLETED,
          store.acquire(key("raced-" + i), null, longDuration()).status(),
          "record " + i);
    }
  }

  @Test
  void aRecordCompletedWithTheUsualTtlIsKeptForItAndAtMostASecondMore() {
    complete("first", Duration.ofHours(1));
    complete("k", Duration.ofHours(1));
    ticker.advance(Duration.ofHours(1).minusSeconds(1));
    assertEquals(Acquisition.Status.COMPLETED, statusOf("k"));
    ticker.advance(Duration.ofSeconds(2).plusMillis(1));
    assertEquals(Acquisition.Status.ACQUIRED, statusOf("k"));
  }

  @Test
  void aRecordCompletedWithAnotherTtlIsKeptForExactlyThatTtl() {
    complete("first", Duration.ofHours(1));
    complete("k", Duration.ofMinutes(10));
    ticker.advance(Duration.ofMinutes(10).plusMillis(1));
    assertEquals(Acquisition.Status.ACQUIRED, statusOf("k"));
  }

  @Test
  void aRecordCompletedLongAfterItWasAcquiredIsKeptForItsWholeTtl() {
    complete("first", Duration.ofHours(1));
    Acquisition a = store.acquire(key("k"), null, longDuration());
    ticker.advance(Duration.ofSeconds(5));
    assertTrue(store.complete(key("k"), a.token(), Outcome.returned("v"), Duration.ofHours(1)));
    ticker.advance(Duration.ofHours(1).minusSeconds(1));
    assertEquals(Acquisition.Status.COMPLETED, statusOf("k"));
  }

  @Test
  void aHolderWhoseRecordWasEvictedCannotCompleteIt() throws Exception {
    CaffeineIdempotencyStore small =
        CaffeineIdempotencyStore.builder().maximumSize(10).executor(Runnable::run).build();
    for (int i = 0; i < 20; i++) {
      Acquisition filler = small.acquire(key("filler-" + i), null, longDuration());
      small.complete(key("filler-" + i), filler.token(), Outcome.returned(i), Duration.ofHours(1));
    }
    Acquisition held = small.acquire(key("held"), null, shortDuration());
    // More keys from another thread, so that this thread's last acquisition stays "held".
    Thread other =
        new Thread(
            () -> {
              for (int i = 0; i < 20; i++) {
                small.acquire(key("later-" + i), null, longDuration());
              }
            });
    other.start();
    other.join();
    assertTrue(small.estimatedSize() <= 10, "size " + small.estimatedSize());
    assertFalse(
        small.complete(key("held"), held.token(), Outcome.returned("v"), Duration.ofHours(1)));
  }

  private void complete(String name, Duration ttl) {
    Acquisition a = store.acquire(key(name), null, longDuration());
    assertTrue(store.complete(key(name), a.token(), Outcome.returned(name), ttl));
  }

  private Acquisition.Status statusOf(String name) {
    return store.acquire(key(name), null, longDuration()).status();
  }

  @Test
  void builderRejectsANonPositiveMaximumSize() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> CaffeineIdempotencyStore.builder().maximumSize(0));
    assertTrue(e.getMessage().contains("maximumSize must be positive, was 0"));
  }

  /**
   * On the system clock, Caffeine's expiry reads a coarse copy of it that lags and never leads: a
   * completed record expires after its ttl, never before, and not much later. Real time is the
   * subject here (a fake ticker bypasses the coarse clock), so the test polls until a deadline.
   */
  @Test
  void onTheSystemClockARecordExpiresAfterItsTtlNeverBefore() {
    CaffeineIdempotencyStore real =
        CaffeineIdempotencyStore.builder().executor(Runnable::run).build();
    Duration ttl = Duration.ofMillis(300);
    for (int round = 0; round < 3; round++) {
      IdempotencyKey k = key("system-clock-" + round);
      String token = real.acquire(k, null, longDuration()).token();
      long beforeComplete = System.nanoTime();
      assertTrue(real.complete(k, token, Outcome.returned("v"), ttl));
      long giveUp = beforeComplete + Duration.ofSeconds(20).toNanos();
      while (true) {
        Acquisition a = real.acquire(k, null, longDuration());
        long afterAcquire = System.nanoTime();
        if (a.status() == Acquisition.Status.ACQUIRED) {
          assertTrue(
              afterAcquire - beforeComplete >= ttl.toNanos(),
              "expired after " + (afterAcquire - beforeComplete) + " ns, before its ttl");
          break;
        }
        assertEquals(Acquisition.Status.COMPLETED, a.status());
        assertTrue(afterAcquire < giveUp, "the record outlived its ttl by far");
        Thread.onSpinWait();
      }
    }
  }
}
