package dev.idempotent.engine;

import dev.idempotent.store.Acquisition;
import dev.idempotent.store.CaffeineIdempotencyStore;
import dev.idempotent.store.IdempotencyKey;
import dev.idempotent.store.IdempotencyStore;
import dev.idempotent.store.Outcome;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A Caffeine store seen through a window: records the keys it is asked for, can be switched to fail
 * like an unreachable server, and can pose as a store that serializes outcomes (it then keeps the
 * engine's encoded bytes), so the codec runs in core's own tests.
 */
final class RecordingStore implements IdempotencyStore {
  private final CaffeineIdempotencyStore delegate = CaffeineIdempotencyStore.create();
  private final boolean keepsObjects;
  final List<IdempotencyKey> keys = new CopyOnWriteArrayList<>();
  final List<Outcome> completed = new CopyOnWriteArrayList<>();
  volatile boolean down;

  RecordingStore(boolean keepsObjects) {
    this.keepsObjects = keepsObjects;
  }

  @Override
  public Acquisition acquire(IdempotencyKey key, String fingerprint, Duration lease) {
    failIfDown();
    keys.add(key);
    return delegate.acquire(key, fingerprint, lease);
  }

  @Override
  public boolean complete(IdempotencyKey key, String token, Outcome outcome, Duration ttl) {
    failIfDown();
    completed.add(outcome);
    return delegate.complete(key, token, outcome, ttl);
  }

  @Override
  public boolean release(IdempotencyKey key, String token) {
    failIfDown();
    return delegate.release(key, token);
  }

  @Override
  public boolean renew(IdempotencyKey key, String token, Duration lease) {
    failIfDown();
    return delegate.renew(key, token, lease);
  }

  @Override
  public boolean keepsObjects() {
    return keepsObjects;
  }

  private void failIfDown() {
    if (down) {
      throw new IllegalStateException("connection refused: store at 127.0.0.1:1 is down");
    }
  }
}
