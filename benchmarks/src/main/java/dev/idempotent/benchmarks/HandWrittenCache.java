package dev.idempotent.benchmarks;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;

/**
 * The baseline a user would write by hand: a Caffeine cache with {@code expireAfterWrite}, a key
 * built by concatenation, {@code getIfPresent} for a duplicate and {@code get(key, fn)} for a first
 * call. It has none of the engine's guarantees (no in-progress state, no payload check, no recorded
 * exceptions), which is what makes it the floor. Thread-safe.
 */
final class HandWrittenCache {
  private static final String NAMESPACE = "orders.place:";

  private final Cache<String, Receipt> cache;

  HandWrittenCache(long maximumSize) {
    this.cache =
        Caffeine.newBuilder()
            .expireAfterWrite(Duration.ofHours(24))
            .maximumSize(maximumSize)
            .build();
  }

  /** Looks the command up and runs the body on a miss, as a hand-written idempotent method. */
  Receipt place(PlaceOrder cmd) {
    String key = NAMESPACE + cmd.id();
    Receipt seen = cache.getIfPresent(key);
    if (seen != null) {
      return seen;
    }
    Receipt receipt = Receipt.accept(cmd);
    cache.put(key, receipt);
    return receipt;
  }

  /** The first-call baseline: one atomic {@code get(key, fn)}. */
  Receipt placeAtomically(PlaceOrder cmd) {
    return cache.get(NAMESPACE + cmd.id(), k -> Receipt.accept(cmd));
  }

  long estimatedSize() {
    return cache.estimatedSize();
  }
}
