package dev.idempotent.http.server;

import dev.idempotent.store.Acquisition;
import dev.idempotent.store.IdempotencyKey;
import dev.idempotent.store.IdempotencyStore;
import dev.idempotent.store.Outcome;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/** A store in front of another that can be switched off, answering every call with a failure. */
final class SwitchableStore implements IdempotencyStore {
  private final IdempotencyStore delegate;
  private final AtomicBoolean down = new AtomicBoolean();
  private final AtomicInteger completions = new AtomicInteger();

  /** Counted down when an acquire finds a record in progress: a duplicate arrived. */
  final CountDownLatch duplicateSeen = new CountDownLatch(1);

  SwitchableStore(IdempotencyStore delegate) {
    this.delegate = delegate;
  }

  void down(boolean down) {
    this.down.set(down);
  }

  /** How many records were completed. */
  int completions() {
    return completions.get();
  }

  private void check() {
    if (down.get()) {
      throw new IllegalStateException("store switched off by the test");
    }
  }

  @Override
  public Acquisition acquire(IdempotencyKey key, String fingerprint, Duration lease) {
    check();
    Acquisition acquisition = delegate.acquire(key, fingerprint, lease);
    if (acquisition.status() == Acquisition.Status.IN_PROGRESS) {
      duplicateSeen.countDown();
    }
    return acquisition;
  }

  @Override
  public boolean complete(IdempotencyKey key, String token, Outcome outcome, Duration ttl) {
    check();
    boolean written = delegate.complete(key, token, outcome, ttl);
    if (written) {
      completions.incrementAndGet();
    }
    return written;
  }

  @Override
  public boolean release(IdempotencyKey key, String token) {
    check();
    return delegate.release(key, token);
  }

  @Override
  public boolean renew(IdempotencyKey key, String token, Duration lease) {
    check();
    return delegate.renew(key, token, lease);
  }

  @Override
  public boolean keepsObjects() {
    return delegate.keepsObjects();
  }
}
