package dev.idempotent.benchmarks;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.concurrent.Executor;

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
    this.cache = newCache(maximumSize);
  }

  /** With Caffeine's maintenance (eviction, expiry) run by {@code executor}. */
  HandWrittenCache(long maximumSize, Executor executor) {
    this.cache = builder(maximumSize).executor(executor).build();
  }

  /**
   * The cache a user would build for a hand-written lookup, the one the lean baselines (written
   * inline in their benchmark methods) use: {@code expireAfterWrite} of 24 hours, {@code
   * maximumSize}.
   */
  static <V> Cache<String, V> newCache(long maximumSize) {
    return builder(maximumSize).build();
  }

  private static Caffeine<Object, Object> builder(long maximumSize) {
    return Caffeine.newBuilder().expireAfterWrite(Duration.ofHours(24)).maximumSize(maximumSize);
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
