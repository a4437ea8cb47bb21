package dev.idempotent.store;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Policy;
import com.github.benmanes.caffeine.cache.RemovalListener;
import dev.idempotent.Ticker;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The default store: records in a Caffeine cache inside this JVM. Outcomes are kept as the objects
 * themselves, so nothing is serialized; a replayed value is the very instance the first call
 * returned, which therefore should be immutable.
 *
 * <p>Acquiring a new key is one atomic {@code putIfAbsent}; a duplicate is a single lock-free read.
 * Completing, releasing and renewing change the record in place under the record's own lock, so a
 * first call writes the map once. The store enforces leases itself; Caffeine drops records through
 * its {@link Expiry}. A new record is kept from the start for the ttl of the last completion, so
 * that completing it, when the ttl is the same and the body took under a second, does not touch the
 * cache at all: a completed record is therefore kept for its ttl and by up to one second more.
 * Otherwise completion moves the record's expiry to exactly its ttl.
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

  /** How much longer than its ttl a completed record may be kept, to spare completion a write. */
  static final long TTL_SLACK_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final Cache<IdempotencyKey, Record> cache;
  private final Policy<IdempotencyKey, Record> policy;
  private final Policy.VarExpiration<IdempotencyKey, Record> expiration;
  private final ConcurrentMap<IdempotencyKey, Record> map;
  private final Ticker ticker;
  private final AtomicLong tokens = new AtomicLong();
  private final long maximumSize;

  /** The record this thread acquired last: completion on the same thread skips the lookup. */
  private final ThreadLocal<Record> acquiredHere = new ThreadLocal<>();

  /** The ttl of the last completion, which new records are kept for from the start. */
  private volatile long expectedTtlNanos;

  private CaffeineIdempotencyStore(Builder builder) {
    this.ticker = builder.ticker;
    this.maximumSize = builder.maximumSize;
    RemovalListener<IdempotencyKey, Record> dropped = (key, record, cause) -> record.dropped();
    Caffeine<IdempotencyKey, Record> caffeine =
        Caffeine.newBuilder()
            .maximumSize(builder.maximumSize)
            .ticker(ticker::read)
            .expireAfter(new KeptUntil())
            .evictionListener(dropped);
    if (builder.executor != null) {
      caffeine.executor(builder.executor);
    }
    this.cache = caffeine.build();
    this.policy = cache.policy();
    this.expiration = policy.expireVariably().orElseThrow();
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
    Record present = policy.getIfPresentQuietly(key);
    if (present != null) {
      Acquisition answer = present.answer(ticker);
      if (answer != null) {
        return answer;
      }
    }
    String token = Long.toString(tokens.incrementAndGet(), Character.MAX_RADIX);
    long now = ticker.read();
    long leaseDeadline = now + saturatedNanos(lease);
    long keptUntil =
        Math.max(leaseDeadline + Record.GRACE_NANOS, now + expectedTtlNanos + TTL_SLACK_NANOS);
    Record fresh = new Record(token, fingerprint, leaseDeadline, keptUntil);
    // putIfAbsent, not compute: Caffeine's compute allocates several wrappers per call, and a
    // first call is almost always a plain insert. A record found in the way is given up under its
    // lock (when its lease ran out) and then swapped out only if it is still the same record.
    while (true) {
      Record existing = map.putIfAbsent(key, fresh);
      if (existing != null) {
        Acquisition answer = existing.answer(ticker);
        if (answer != null) {
          return answer;
        }
        existing.takeOver(ticker.read());
        if (!map.replace(key, existing, fresh)) {
          continue;
        }
      }
      acquiredHere.set(fresh);
      return Acquisition.acquired(token);
    }
  }

  /**
   * Completes the record in place: its state changes under its own lock. When the record is already
   * kept for this ttl (see the class description), Caffeine is not touched; otherwise only its
   * expiry moves. A map write (a compute, its write-buffer task and the policy's maintenance) would
   * cost several times either, on every first call.
   */
  @Override
  public boolean complete(IdempotencyKey key, String token, Outcome outcome, Duration ttl) {
    Objects.requireNonNull(outcome, "outcome");
    Record record = held(key, token);
    if (record == null) {
      return false;
    }
    Acquisition answer = Acquisition.completed(record.fingerprint, outcome);
    long ttlNanos = saturatedNanos(ttl);
    if (expectedTtlNanos != ttlNanos) {
      expectedTtlNanos = ttlNanos;
    }
    // The expiry moves under the record's lock too: a renewal that raced this completion finds
    // the record completed, and cannot set a completed record's expiry back to a lease.
    synchronized (record) {
      long now = ticker.read();
      if (!record.holds(token, now)) {
        return false;
      }
      long ttlDeadline = now + ttlNanos;
      boolean keptForTtl =
          record.keptUntil >= ttlDeadline && record.keptUntil - ttlDeadline <= TTL_SLACK_NANOS;
      record.complete(answer);
      if (keptForTtl) {
        return true;
      }
      record.keptUntil = ttlDeadline;
      expiration.setExpiresAfter(key, ttlNanos, TimeUnit.NANOSECONDS);
    }
    return stillHeld(key, record);
  }

  @Override
  public boolean release(IdempotencyKey key, String token) {
    Record record = held(key, token);
    if (record == null) {
      return false;
    }
    synchronized (record) {
      if (!record.holds(token, ticker.read())) {
        return false;
      }
      record.giveUp();
    }
    map.remove(key, record);
    return true;
  }

  @Override
  public boolean renew(IdempotencyKey key, String token, Duration lease) {
    Record record = policy.getIfPresentQuietly(key);
    if (record == null) {
      return false;
    }
    long leaseNanos = saturatedNanos(lease);
    synchronized (record) {
      long now = ticker.read();
      if (!record.holds(token, now)) {
        return false;
      }
      record.renew(now + leaseNanos);
      if (record.keptUntil >= now + leaseNanos + Record.GRACE_NANOS) {
        return true;
      }
      record.keptUntil = now + leaseNanos + Record.GRACE_NANOS;
      expiration.setExpiresAfter(key, leaseNanos + Record.GRACE_NANOS, TimeUnit.NANOSECONDS);
    }
    return stillHeld(key, record);
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

  /**
   * The record that {@code token} may hold: the one this thread acquired last when it is that
   * token's (the common case of a body that ends on the thread that started it), otherwise the
   * key's record in the map; null when there is none.
   */
  private Record held(IdempotencyKey key, String token) {
    Record mine = acquiredHere.get();
    if (mine != null) {
      acquiredHere.set(null);
      if (mine.state == token) {
        return mine;
      }
    }
    return policy.getIfPresentQuietly(key);
  }

  /**
   * Whether the record is still the key's after its expiry moved: Caffeine extends no entry that it
   * already considers expired, and the size bound may have evicted the record meanwhile. Either way
   * the record is gone for every reader, and the change did not take effect.
   */
  private boolean stillHeld(IdempotencyKey key, Record record) {
    return policy.getIfPresentQuietly(key) == record;
  }

  private static long saturatedNanos(Duration duration) {
    try {
      return duration.toNanos();
    } catch (ArithmeticException tooLong) {
      return Long.MAX_VALUE / 4;
    }
  }

  /**
   * One record: in progress under a token until completed (its state is then the answer that
   * duplicates get) or given up (released, taken over after its lease ran out, or dropped by
   * Caffeine). The state changes under the record's lock (the store's methods hold it), except when
   * Caffeine drops a record; duplicates read it without one.
   *
   * <p>The lease is enforced here, not by Caffeine: Caffeine keeps an in-progress record at least
   * {@link #GRACE_NANOS} beyond its lease, so that completing never races Caffeine's own expiry,
   * and a record whose lease ran out is taken over by the next acquire.
   */
  /**
   * The bound, for logs.
   *
   * @return {@code CaffeineIdempotencyStore[in this JVM, maximumSize=N]}
   */
  @Override
  public String toString() {
    return "CaffeineIdempotencyStore[in this JVM, maximumSize=" + maximumSize + "]";
  }

  private static final class Record {
    /** How long Caffeine keeps an in-progress record at least after its lease ran out. */
    static final long GRACE_NANOS = TimeUnit.MINUTES.toNanos(1);

    /** The state of a record given up: it answers nothing and holds nothing. */
    private static final Object GIVEN_UP = new Object();

    private static final VarHandle STATE;

    static {
      try {
        STATE = MethodHandles.lookup().findVarHandle(Record.class, "state", Object.class);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    final String fingerprint;

    /** The holder's token while in progress, the completed answer, or {@link #GIVEN_UP}. */
    volatile Object state;

    /** The lease's end while in progress, in ticker nanoseconds. */
    private volatile long leaseDeadline;

    /** When Caffeine drops the record, in ticker nanoseconds, as last set. Under the lock. */
    long keptUntil;

    Record(String token, String fingerprint, long leaseDeadline, long keptUntil) {
      this.state = token;
      this.fingerprint = fingerprint;
      this.leaseDeadline = leaseDeadline;
      this.keptUntil = keptUntil;
    }

    /**
     * The answer to a duplicate: the completed answer, or in progress while the lease lasts; null
     * when the record is to be taken over. Reads the clock only for a record in progress.
     */
    Acquisition answer(Ticker ticker) {
      Object current = state;
      if (current instanceof Acquisition) {
        return (Acquisition) current;
      }
      if (current instanceof String && ticker.read() < leaseDeadline) {
        return Acquisition.inProgress(fingerprint);
      }
      return null;
    }

    /**
     * Gives the record up if its lease ran out at {@code now}, so that its holder can no longer
     * complete, release or renew it.
     */
    synchronized void takeOver(long now) {
      if (state instanceof String && now >= leaseDeadline) {
        giveUp();
      }
    }

    /**
     * Caffeine evicted or expired the record: an in-progress one is given up. Called by Caffeine
     * under its own lock on the entry, so this takes no lock of the record's (completion holds the
     * record's lock while it moves the entry's expiry); a compare-and-set instead.
     */
    void dropped() {
      Object current = state;
      if (current instanceof String) {
        STATE.compareAndSet(this, current, GIVEN_UP);
      }
    }

    /** Whether {@code token}'s lease is live at {@code now}. Called under the record's lock. */
    boolean holds(String token, long now) {
      return token.equals(state) && now < leaseDeadline;
    }

    /** Called under the record's lock, by the holder. */
    void complete(Acquisition answer) {
      state = answer;
    }

    /** Called under the record's lock, by the holder. */
    void renew(long newLeaseDeadline) {
      leaseDeadline = newLeaseDeadline;
    }

    /** Called under the record's lock. */
    void giveUp() {
      state = GIVEN_UP;
    }
  }

  /** Each record expires when its {@code keptUntil} says, however often it is read. */
  private static final class KeptUntil implements Expiry<IdempotencyKey, Record> {
    @Override
    public long expireAfterCreate(IdempotencyKey key, Record record, long currentTime) {
      return Math.max(0, record.keptUntil - currentTime);
    }

    @Override
    public long expireAfterUpdate(
        IdempotencyKey key, Record record, long currentTime, long currentDuration) {
      return Math.max(0, record.keptUntil - currentTime);
    }

    @Override
    public long expireAfterRead(
        IdempotencyKey key, Record record, long currentTime, long currentDuration) {
      return currentDuration;
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
