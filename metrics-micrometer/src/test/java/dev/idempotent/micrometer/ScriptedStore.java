package dev.idempotent.micrometer;

import dev.idempotent.Ticker;
import dev.idempotent.store.Acquisition;
import dev.idempotent.store.CaffeineIdempotencyStore;
import dev.idempotent.store.IdempotencyKey;
import dev.idempotent.store.IdempotencyStore;
import dev.idempotent.store.Outcome;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Caffeine store on a test's ticker that a test can switch off (every operation throws, like an
 * unreachable server) and that can hold a duplicate in its second poll of one key, so the test
 * knows the duplicate is waiting before it lets the first call's outcome appear.
 */
final class ScriptedStore implements IdempotencyStore {
  static final String FAILURE_MESSAGE = "connection refused";

  private final CaffeineIdempotencyStore delegate;
  volatile boolean down;
  volatile boolean failComplete;
  volatile boolean failRelease;

  private volatile IdempotencyKey gatedKey;
  private final AtomicInteger gatedAcquires = new AtomicInteger();
  private final CountDownLatch polling = new CountDownLatch(1);
  private final CountDownLatch released = new CountDownLatch(1);

  ScriptedStore(Ticker ticker) {
    this.delegate =
        CaffeineIdempotencyStore.builder().ticker(ticker).executor(Runnable::run).build();
  }

  /** Holds the second acquire of {@code key} until {@link #releasePoll()}. */
  void gate(IdempotencyKey key) {
    gatedKey = key;
  }

  /** Waits until a duplicate polls the gated key for the second time. */
  void awaitPoll() throws InterruptedException {
    if (!polling.await(10, TimeUnit.SECONDS)) {
      throw new AssertionError("the duplicate never polled the store again");
    }
  }

  /** Lets the held poll read the store. */
  void releasePoll() {
    released.countDown();
  }

  @Override
  public Acquisition acquire(IdempotencyKey key, String fingerprint, Duration lease) {
    failIf(down);
    if (key.equals(gatedKey) && gatedAcquires.incrementAndGet() == 2) {
      polling.countDown();
      try {
        if (!released.await(10, TimeUnit.SECONDS)) {
          throw new AssertionError("the test never released the held poll");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while held", e);
      }
    }
    return delegate.acquire(key, fingerprint, lease);
  }

  @Override
  public boolean complete(IdempotencyKey key, String token, Outcome outcome, Duration ttl) {
    failIf(down || failComplete);
    return delegate.complete(key, token, outcome, ttl);
  }

  @Override
  public boolean release(IdempotencyKey key, String token) {
    failIf(down || failRelease);
    return delegate.release(key, token);
  }

  @Override
  public boolean renew(IdempotencyKey key, String token, Duration lease) {
    failIf(down);
    return delegate.renew(key, token, lease);
  }

  @Override
  public boolean keepsObjects() {
    return delegate.keepsObjects();
  }

  private static void failIf(boolean failing) {
    if (failing) {
      throw new IllegalStateException(FAILURE_MESSAGE);
    }
  }
}
