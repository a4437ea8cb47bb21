package dev.idempotent.store;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Policy;
import dev.idempotent.Ticker;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The default store: records in a Caffeine cache inside this JVM. Outcomes are kept as the objects
 * themselves, so nothing is serialized; a replayed value is the very instance the first call
 * returned, which therefore should be immutable.
 *
 * <p>Each operation is one atomic {@code asMap().compute} on the key; a duplicate of a completed
 * call is a single lock-free read. Every record expires on its own deadline through Caffeine's
 * {@link Expiry}: the lease for in-progress records, the ttl for completed ones.
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

  // A record is an Entry while in progress and the Acquisition that answers duplicates once
  // completed: a completed record is one object besides its outcome.
  private final Cache<IdempotencyKey, Object> cache;
  private final Policy<IdempotencyKey, Object> policy;
  private final ConcurrentMap<IdempotencyKey, Object> map;
  private final Ticker ticker;
  private final AtomicLong tokens = new AtomicLong();
  private final String tokenPrefix = Long.toString(System.identityHashCode(this), 36) + "-";

  private CaffeineIdempotencyStore(Builder builder) {
    this.ticker = builder.ticker;
    Caffeine<IdempotencyKey, Object> caffeine =
        Caffeine.newBuilder()
            .maximumSize(builder.maximumSize)
            .ticker(ticker::read)
            .expireAfter(new DeadlineExpiry());
    if (builder.executor != null) {
      caffeine.executor(builder.executor);
    }
    this.cache = caffeine.build();
    this.policy = cache.policy();
    this.map = cache.asMap();
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
    // A quiet read: a record's deadline never moves on a read, and recency of replays should not
    // decide which records the size bound evicts, so the read skips the policy's bookkeeping.
    Object present = policy.getIfPresentQuietly(key);
    if (present instanceof Acquisition) {
      return (Acquisition) present;
    }
    String token = tokenPrefix + Long.toString(tokens.incrementAndGet(), 36);
    Entry fresh = new Entry(token, fingerprint, deadline(lease));
    Object now = map.compute(key, (k, old) -> old == null ? fresh : old);
    if (now == fresh) {
      return Acquisition.acquired(token);
    }
    return now instanceof Acquisition ? (Acquisition) now : ((Entry) now).answer;
  }

  @Override
  public boolean complete(IdempotencyKey key, String token, Outcome outcome, Duration ttl) {
    Objects.requireNonNull(outcome, "outcome");
    long deadline = deadline(ttl);
    boolean[] written = new boolean[1];
    map.computeIfPresent(
        key,
        (k, old) -> {
          if (holds(old, token)) {
            written[0] = true;
            return Acquisition.completed(((Entry) old).fingerprint, outcome, deadline);
          }
          return old;
        });
    return written[0];
  }

  @Override
  public boolean release(IdempotencyKey key, String token) {
    boolean[] removed = new boolean[1];
    map.computeIfPresent(
        key,
        (k, old) -> {
          if (holds(old, token)) {
            removed[0] = true;
            return null;
          }
          return old;
        });
    return removed[0];
  }

  @Override
  public boolean renew(IdempotencyKey key, String token, Duration lease) {
    long deadline = deadline(lease);
    boolean[] renewed = new boolean[1];
    map.computeIfPresent(
        key,
        (k, old) -> {
          if (holds(old, token)) {
            renewed[0] = true;
            return new Entry(token, ((Entry) old).fingerprint, deadline);
          }
          return old;
        });
    return renewed[0];
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
    return cache.estimatedSize();
  }

  private long deadline(Duration duration) {
    return ticker.read() + saturatedNanos(duration);
  }

  private static long saturatedNanos(Duration duration) {
    try {
      return duration.toNanos();
    } catch (ArithmeticException tooLong) {
      return Long.MAX_VALUE / 2;
    }
  }

  /** Whether {@code record} is in progress under {@code token}. */
  private static boolean holds(Object record, String token) {
    return record instanceof Entry && ((Entry) record).token.equals(token);
  }

  /** An in-progress record. Immutable: every change is a new record written by compute. */
  private static final class Entry {
    final String token;
    final String fingerprint;
    final long deadlineNanos;

    /** The answer a duplicate gets, built once so a wait allocates nothing. */
    final Acquisition answer;

    Entry(String token, String fingerprint, long deadline) {
      this.token = token;
      this.fingerprint = fingerprint;
      this.deadlineNanos = deadline;
      this.answer = Acquisition.inProgress(fingerprint);
    }
  }

  /** Each entry expires at its own absolute deadline, however often it is read or rewritten. */
  private static final class DeadlineExpiry implements Expiry<IdempotencyKey, Object> {
    @Override
    public long expireAfterCreate(IdempotencyKey key, Object record, long currentTime) {
      return Math.max(0, deadline(record) - currentTime);
    }

    @Override
    public long expireAfterUpdate(
        IdempotencyKey key, Object record, long currentTime, long currentDuration) {
      return Math.max(0, deadline(record) - currentTime);
    }

    @Override
    public long expireAfterRead(
        IdempotencyKey key, Object record, long currentTime, long currentDuration) {
      return currentDuration;
    }

    private static long deadline(Object record) {
      return record instanceof Entry
          ? ((Entry) record).deadlineNanos
          : ((Acquisition) record).deadlineNanos();
    }
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
