package dev.idempotent.store;

import dev.idempotent.Ticker;
import dev.idempotent.internal.LocalRecords;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * The default store: records in a Caffeine cache inside this JVM. Outcomes are kept as the objects
 * themselves, so nothing is serialized; a replayed value is the very instance the first call
 * returned, which therefore should be immutable. A live key costs one small record beside
 * Caffeine's own entry: the record is its own key in the cache, and a completed record's state is
 * the returned value itself. The engine's fingerprint of a call's arguments is kept as a keyed
 * 64-bit hash inside the record (it never leaves this JVM); a fingerprint given to {@link #acquire}
 * directly is kept as the text it is. An engine that reaches this store through another store
 * wrapping it compares fingerprints as text, so records written by an engine that uses this store
 * directly look to it like another payload's ({@code IdempotencyKeyReuseException}, never a wrong
 * replay): let engines that share records reach the store the same way.
 *
 * <p>Acquiring a new key is one atomic {@code putIfAbsent}; a duplicate is a single lock-free read.
 * Completing, releasing and renewing change the record in place under the record's own lock, so a
 * first call writes the map once. The store enforces leases itself; Caffeine drops records through
 * a per-record expiry. A new record is kept from the start for the ttl of the last completion, so
 * that completing it, when the ttl is the same and the body took under a second, does not touch the
 * cache at all: a completed record is therefore kept for its ttl and by up to one second more.
 * Otherwise completion moves the record's expiry to exactly its ttl. With the system ticker (the
 * default), Caffeine checks expiry against a copy of the clock that a daemon thread, {@code
 * idempotent-clock}, refreshes every 50 ms while the store is read and stops a second after the
 * last read, so that a duplicate's lookup reads no system clock: records then expire late by up to
 * that lag (longer on a machine that keeps the thread waiting), never early. Leases always read the
 * ticker itself.
 *
 * <p>The store is bounded by {@link Builder#maximumSize(long)} (default {@value
 * #DEFAULT_MAXIMUM_SIZE}). The bound is a safety net against memory exhaustion, not a working-set
 * size: when it is reached, Caffeine evicts records before their ttl runs out, and a duplicate of
 * an evicted record runs again. Size it above the number of calls expected within one ttl.
 *
 * <p>Records live as long as this JVM: a service on several machines needs a shared store (Redis or
 * JDBC). Thread-safe.
 */
public final class CaffeineIdempotencyStore implements IdempotencyStore {
  /** The default bound on the number of records. */
  public static final long DEFAULT_MAXIMUM_SIZE = 1_000_000;

  private final LocalRecords records;
  private final long maximumSize;

  private CaffeineIdempotencyStore(Builder builder) {
    this.maximumSize = builder.maximumSize;
    this.records = LocalRecords.create(this, builder.maximumSize, builder.ticker, builder.executor);
  }

  /** A store with the defaults: system ticker, {@value #DEFAULT_MAXIMUM_SIZE} records at most. */
  public static CaffeineIdempotencyStore create() {
    return builder().build();
  }

  /** A builder for a store with other settings. */
  public static Builder builder() {
    return new Builder();
  }

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

  /** Always true: outcomes are kept as objects. */
  @Override
  public boolean keepsObjects() {
    return true;
  }

  /**
   * The approximate number of records, live or expired but not yet cleaned up; for metrics and
   * tests.
   */
  public long estimatedSize() {
    return records.estimatedSize();
  }

  /**
   * The bound, for logs.
   *
   * @return {@code CaffeineIdempotencyStore[in this JVM, maximumSize=N]}
   */
  @Override
  public String toString() {
    return "CaffeineIdempotencyStore[in this JVM, maximumSize=" + maximumSize + "]";
  }

  /** Settings for a {@link CaffeineIdempotencyStore}. Not thread-safe; the store it builds is. */
  public static final class Builder {
    private long maximumSize = DEFAULT_MAXIMUM_SIZE;
    private Ticker ticker = Ticker.system();
    private Executor executor;

    private Builder() {}

    /**
     * The most records kept; see the class description for what happens when it is reached.
     *
     * @throws IllegalArgumentException if not positive
     */
    public Builder maximumSize(long maximumSize) {
      if (maximumSize <= 0) {
        throw new IllegalArgumentException(
            "CaffeineIdempotencyStore.Builder.maximumSize must be positive, was " + maximumSize);
      }
      this.maximumSize = maximumSize;
      return this;
    }

    /** The time source for leases and ttls; tests pass a fake one to advance time. */
    public Builder ticker(Ticker ticker) {
      this.ticker = Objects.requireNonNull(ticker, "ticker");
      return this;
    }

    /**
     * The executor for Caffeine's maintenance work (default: the common pool). Tests pass {@code
     * Runnable::run} for deterministic eviction.
     */
    public Builder executor(Executor executor) {
      this.executor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /** Builds the store. */
    public CaffeineIdempotencyStore build() {
      return new CaffeineIdempotencyStore(this);
    }
  }
}
