package dev.idempotent.aspectj;

import dev.idempotent.store.Acquisition;
import dev.idempotent.store.CaffeineIdempotencyStore;
import dev.idempotent.store.IdempotencyKey;
import dev.idempotent.store.IdempotencyStore;
import dev.idempotent.store.Outcome;
import java.time.Duration;

/** Stands in for a Redis or JDBC store: any store other than the in-memory default. */
final class SharedStoreStandIn implements IdempotencyStore {
  private final CaffeineIdempotencyStore records = CaffeineIdempotencyStore.create();

  @Override
  public Acquisition acquire(IdempotencyKey key, String fingerprint, Duration lease) {
    return records.acquire(key, fingerprint, lease);
  }

  @Override
  public boolean complete(IdempotencyKey key, String token, Outcome outcome, Duration ttl) {
    return records.complete(key, token, outcome, ttl);
  }

  @Override
  public boolean release(IdempotencyKey key, String token) {
    return records.release(key, token);
  }

  @Override
  public boolean renew(IdempotencyKey key, String token, Duration lease) {
    return records.renew(key, token, lease);
  }

  @Override
  public boolean keepsObjects() {
    return true;
  }

  @Override
  public String toString() {
    return "SharedStoreStandIn[redis://orders.example:6379]";
  }
}
