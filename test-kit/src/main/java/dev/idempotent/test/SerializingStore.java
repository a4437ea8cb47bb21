package dev.idempotent.test;

import dev.idempotent.store.Acquisition;
import dev.idempotent.store.CaffeineIdempotencyStore;
import dev.idempotent.store.IdempotencyKey;
import dev.idempotent.store.IdempotencyStore;
import dev.idempotent.store.Outcome;
import java.time.Duration;

/**
 * The in-memory Caffeine store presented as a store that does not keep objects, so the engine
 * writes every outcome through its codec and reads it back on a replay, exactly as it does for
 * Redis or JDBC. A result type that cannot be written or read fails in the test that calls it.
 * Thread-safe.
 */
final class SerializingStore implements IdempotencyStore {
  private final CaffeineIdempotencyStore records;

  SerializingStore(CaffeineIdempotencyStore records) {
    this.records = records;
  }

  @Override
  public Acquisition acquire(IdempotencyKey key, String fingerprint, Duration lease) {
    return records.acquire(key, fingerprint, lease);
  }

  @Override
  public boolean complete(IdempotencyKey key, String token, Outcome outcome, Duration ttl) {
    if (outcome.form() != Outcome.Form.ENCODED) {
      throw new IllegalStateException(
          "SerializingStore.complete received an outcome in form "
              + outcome.form()
              + "; a store whose keepsObjects() is false must receive encoded outcomes only");
    }
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
    return false;
  }

  @Override
  public String toString() {
    return "SerializingStore[in memory, outcomes encoded by the engine's codec]";
  }
}
