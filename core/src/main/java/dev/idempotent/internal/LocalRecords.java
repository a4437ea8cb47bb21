package dev.idempotent.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.RemovalListener;
import dev.idempotent.Ticker;
import dev.idempotent.store.Acquisition;
import dev.idempotent.store.IdempotencyKey;
import dev.idempotent.store.IdempotencyStore;
import dev.idempotent.store.Outcome;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The records of {@code CaffeineIdempotencyStore}: one Caffeine cache whose key is the record
 * itself, so a live key costs one object beside the cache's own (no key object, no answer object,
 * no outcome wrapper); the completed state is the returned value itself. The store's SPI methods
 * delegate here; the engine reaches the same records through {@link #of(IdempotencyStore)} and
 * {@link #acquire(Probe, boolean, long, Duration)}, which looks a key up by its two parts without
 * building an {@code IdempotencyKey} and reports a completed record without building an {@code
 * Acquisition}.
 *
 * <p>Acquiring a new key is one atomic {@code putIfAbsent}; a duplicate is a single lock-free read.
 * Completing, releasing and renewing change the record in place under the record's own lock, so a
 * first call writes the map once. The lease is enforced here; Caffeine drops records through its
 * {@link Expiry}. A new record is kept from the start for the ttl of the last completion, so that
 * completing it, when the ttl is the same and the body took under a second, does not touch the
 * cache at all: a completed record is therefore kept for its ttl and by up to one second more.
 * Otherwise completion moves the record's expiry to exactly its ttl. Thread-safe.
 */
public final class LocalRecords {
  /** How much longer than its ttl a completed record may be kept, to spare completion a write. */
  static final long TTL_SLACK_NANOS = TimeUnit.SECONDS.toNanos(1);

  /** How long Caffeine keeps an in-progress record at least after its lease ran out. */
  static final long GRACE_NANOS = TimeUnit.MINUTES.toNanos(1);

  /** What {@link #acquire(Probe, boolean, long, Duration)} found. */
  static final int ACQUIRED = 0;

  static final int COMPLETED = 1;
  static final int IN_PROGRESS = 2;

  /** The records of each store that has them, for the engine to find; entries go with the store. */
  private static final Map<IdempotencyStore, LocalRecords> BY_STORE =
      Collections.synchronizedMap(new WeakHashMap<>());

  private final Cache<Name, Record> cache;
  private final com.github.benmanes.caffeine.cache.Policy<Name, Record> policy;
  private final com.github.benmanes.caffeine.cache.Policy.VarExpiration<Name, Record> expiration;
  private final ConcurrentMap<Name, Record> map;
  private final Ticker ticker;

  /**
   * The clock of Caffeine's expiry: {@link CoarseClock} over the system ticker (a duplicate's
   * lookup then reads no system clock), the ticker itself otherwise. It lags the ticker, never
   * leads it, so expiry moves are computed from it to the record's own deadline: records expire
   * late by the lag at most, never early.
   */
  private final Ticker expiryClock;

  private final AtomicLong tokens = new AtomicLong();

  /** The record this thread acquired last: completion on the same thread skips the lookup. */
  private final ThreadLocal<Record> acquiredHere = new ThreadLocal<>();

  /** The ttl of the last completion, which new records are kept for from the start. */
  private volatile long expectedTtlNanos;

  private LocalRecords(long maximumSize, Ticker ticker, Executor executor) {
    this.ticker = ticker;
    this.expiryClock = ticker == Ticker.system() ? CoarseClock::read : ticker;
    RemovalListener<Name, Record> dropped = (key, record, cause) -> record.dropped();
    Caffeine<Name, Record> caffeine =
        Caffeine.newBuilder()
            .maximumSize(maximumSize)
            .ticker(expiryClock::read)
            .expireAfter(new KeptUntil())
            .evictionListener(dropped);
    if (executor != null) {
      caffeine.executor(executor);
    }
    this.cache = caffeine.build();
    this.policy = cache.policy();
    this.expiration = policy.expireVariably().orElseThrow();
    this.map = cache.asMap();
  }

  /**
   * The records of a new store, found again by {@link #of} for as long as the store is reachable.
   *
   * @param store the store these records are for
   * @param maximumSize the most records kept
   * @param ticker the time source of leases and ttls
   * @param executor Caffeine's maintenance executor, or null for its default
   * @return the records
   */
  public static LocalRecords create(
      IdempotencyStore store, long maximumSize, Ticker ticker, Executor executor) {
    LocalRecords records = new LocalRecords(maximumSize, ticker, executor);
    BY_STORE.put(store, records);
    return records;
  }

  /** The records of {@code store}, or null when it keeps none in this class's form. */
  static LocalRecords of(IdempotencyStore store) {
    return BY_STORE.get(store);
  }

  // ---- the engine's path ----

  /**
   * Step 2 for a key given by its parts in {@code probe}: finds a live record or creates one. On
   * return, {@code probe.record} is the record and {@code probe.state} its state as read: for
   * {@link #ACQUIRED} the new record's {@link Held} lease, for {@link #COMPLETED} the completed
   * state (read it with {@link #isThrown}, {@link #returnedValue}, {@link #recordedOutcome}).
   *
   * @param checked whether the call has a fingerprint
   * @param fingerprint the call's {@link LocalHash} fingerprint, when checked
   * @return {@link #ACQUIRED}, {@link #COMPLETED} or {@link #IN_PROGRESS}
   */
  int acquire(Probe probe, boolean checked, long fingerprint, Duration lease) {
    // A quiet read: a record's deadline never moves on a read, and recency of replays should not
    // decide which records the size bound evicts, so the read skips the policy's bookkeeping.
    Record present = policy.getIfPresentQuietly(probe);
    if (present != null) {
      int found = present.answer(ticker, probe);
      if (found >= 0) {
        return found;
      }
    }
    Record fresh =
        checked
            ? new HashedRecord(probe.namespace, probe.value, fingerprint)
            : new Record(probe.namespace, probe.value);
    return insert(fresh, lease, probe);
  }

  /** Whether a completed state is a recorded exception or an encoded outcome. */
  static boolean isRecorded(Object completed) {
    return completed instanceof Recorded;
  }

  /** The value of a completed state that is not {@link #isRecorded}. */
  static Object returnedValue(Object completed) {
    return completed == NULL_RESULT ? null : completed;
  }

  /** The outcome of a completed state that {@link #isRecorded}. */
  static Outcome recordedOutcome(Object completed) {
    return ((Recorded) completed).outcome;
  }

  /** Whether the record was written with a fingerprint that differs from the call's. */
  static boolean fingerprintDiffers(Record record, boolean checked, long fingerprint) {
    if (!checked) {
      return false;
    }
    if (record instanceof HashedRecord hashed) {
      return hashed.fingerprint != fingerprint;
    }
    if (record instanceof TextRecord text) {
      return LocalHash.of(text.fingerprint) != fingerprint;
    }
    return false;
  }

  /** The token of an {@link #ACQUIRED} state. */
  static String token(Object acquired) {
    return ((Held) acquired).token;
  }

  // ---- the store's SPI ----

  /**
   * {@code IdempotencyStore.acquire}: the answer as an {@link Acquisition}. A fingerprint given
   * here is kept as text and handed back as it was given.
   */
  public Acquisition acquire(IdempotencyKey key, String fingerprint, Duration lease) {
    Probe probe = new Probe(key.namespace(), key.value());
    Record present = policy.getIfPresentQuietly(probe);
    if (present != null) {
      Acquisition answer = answer(present, present.answer(ticker, probe), probe);
      if (answer != null) {
        return answer;
      }
    }
    Record fresh =
        fingerprint == null
            ? new Record(key.namespace(), key.value())
            : new TextRecord(key.namespace(), key.value(), fingerprint);
    int found = insert(fresh, lease, probe);
    return answer(probe.record, found, probe);
  }

  private static Acquisition answer(Record record, int found, Probe probe) {
    return switch (found) {
      case ACQUIRED -> Acquisition.acquired(token(probe.state));
      case COMPLETED -> Acquisition.completed(record.fingerprintText(), outcomeOf(probe.state));
      case IN_PROGRESS -> Acquisition.inProgress(record.fingerprintText());
      default -> null;
    };
  }

  private static Outcome outcomeOf(Object completed) {
    return isRecorded(completed)
        ? recordedOutcome(completed)
        : Outcome.returned(returnedValue(completed));
  }

  /** Puts {@code fresh} in, unless a live record is there: see {@link #acquire(Probe, ...)}. */
  private int insert(Record fresh, Duration lease, Probe probe) {
    String token = Long.toString(tokens.incrementAndGet(), Character.MAX_RADIX);
    long now = ticker.read();
    long leaseDeadline = now + saturatedNanos(lease);
    Held held =
        new Held(
            token,
            leaseDeadline,
            Math.max(leaseDeadline + GRACE_NANOS, now + expectedTtlNanos + TTL_SLACK_NANOS));
    fresh.state = held;
    // putIfAbsent, not compute: Caffeine's compute allocates several wrappers per call, and a
    // first call is almost always a plain insert. A record found in the way is given up under its
    // lock (when its lease ran out) and removed only if it is still the key's record.
    while (true) {
      Record existing = map.putIfAbsent(fresh, fresh);
      if (existing == null) {
        acquiredHere.set(fresh);
        probe.record = fresh;
        probe.state = held;
        return ACQUIRED;
      }
      int found = existing.answer(ticker, probe);
      if (found >= 0) {
        return found;
      }
      existing.takeOver(ticker.read());
      map.remove(existing, existing);
    }
  }

  /**
   * {@code IdempotencyStore.complete}: completes the record in place, its state changing under its
   * own lock. When the record is already kept for this ttl (see the class description), Caffeine is
   * not touched; otherwise only its expiry moves.
   */
  public boolean complete(IdempotencyKey key, String token, Outcome outcome, Duration ttl) {
    Objects.requireNonNull(outcome, "outcome");
    Record record = held(key, token);
    if (record == null) {
      return false;
    }
    Object completed = completedState(outcome);
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
      long keptUntil = ((Held) record.state).keptUntil;
      boolean keptForTtl = keptUntil >= ttlDeadline && keptUntil - ttlDeadline <= TTL_SLACK_NANOS;
      record.state = completed;
      if (keptForTtl) {
        return true;
      }
      keepUntil(record, ttlDeadline);
    }
    return stillHeld(record);
  }

  private static Object completedState(Outcome outcome) {
    if (outcome instanceof Outcome.Returned returned) {
      return returned.value() == null ? NULL_RESULT : returned.value();
    }
    return new Recorded(outcome);
  }

  /** {@code IdempotencyStore.release}. */
  public boolean release(IdempotencyKey key, String token) {
    Record record = held(key, token);
    if (record == null) {
      return false;
    }
    synchronized (record) {
      if (!record.holds(token, ticker.read())) {
        return false;
      }
      record.state = GIVEN_UP;
    }
    map.remove(record, record);
    return true;
  }

  /** {@code IdempotencyStore.renew}. */
  public boolean renew(IdempotencyKey key, String token, Duration lease) {
    Record record = policy.getIfPresentQuietly(new Probe(key.namespace(), key.value()));
    if (record == null) {
      return false;
    }
    long leaseNanos = saturatedNanos(lease);
    synchronized (record) {
      long now = ticker.read();
      if (!record.holds(token, now)) {
        return false;
      }
      Held held = (Held) record.state;
      held.leaseDeadline = now + leaseNanos;
      if (held.keptUntil >= now + leaseNanos + GRACE_NANOS) {
        return true;
      }
      held.keptUntil = now + leaseNanos + GRACE_NANOS;
      keepUntil(record, held.keptUntil);
    }
    return stillHeld(record);
  }

  /**
   * Moves the record's expiry in Caffeine to {@code deadline}, or a little later; under its lock.
   */
  private void keepUntil(Record record, long deadline) {
    expiration.setExpiresAfter(
        record, Math.max(0, deadline - expiryClock.read()), TimeUnit.NANOSECONDS);
  }

  /**
   * The approximate number of records, live or expired but not yet cleaned up.
   *
   * @return the estimate
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
      // Tokens are unique in this store, so the token alone says whether it is the key's record.
      if (mine.state instanceof Held held && held.token.equals(token)) {
        return mine;
      }
    }
    return policy.getIfPresentQuietly(new Probe(key.namespace(), key.value()));
  }

  /**
   * Whether the record is still the key's after its expiry moved: Caffeine extends no entry that it
   * already considers expired, and the size bound may have evicted the record meanwhile. Either way
   * the record is gone for every reader, and the change did not take effect.
   */
  private boolean stillHeld(Record record) {
    return policy.getIfPresentQuietly(record) == record;
  }

  private static long saturatedNanos(Duration duration) {
    try {
      return duration.toNanos();
    } catch (ArithmeticException tooLong) {
      return Long.MAX_VALUE / 4;
    }
  }

  /** The state of a record given up: it answers nothing and holds nothing. */
  private static final Object GIVEN_UP = new Object();

  /** The completed state of a null result. */
  private static final Object NULL_RESULT = new Object();

  /** A key by its two parts: equal to every other name with equal parts, of whatever class. */
  abstract static class Name {
    String namespace;
    String value;

    @Override
    public final boolean equals(Object o) {
      return o instanceof Name other
          && value.equals(other.value)
          && namespace.equals(other.namespace);
    }

    @Override
    public final int hashCode() {
      return 31 * namespace.hashCode() + value.hashCode();
    }

    @Override
    public final String toString() {
      return getClass().getSimpleName() + "[namespace=" + namespace + "]";
    }
  }

  /**
   * A lookup of one key, and what the lookup found. The engine keeps one per thread and fills it
   * for each call; never a key in the cache.
   */
  static final class Probe extends Name {
    /** The record found or created. */
    Record record;

    /** Its state as read. */
    Object state;

    Probe() {}

    Probe(String namespace, String value) {
      this.namespace = namespace;
      this.value = value;
    }

    /** Forgets the last lookup, so that this thread keeps neither its key nor its record. */
    void clear() {
      namespace = null;
      value = null;
      record = null;
      state = null;
    }
  }

  /**
   * The in-progress state: the lease's token and deadline, and until when Caffeine keeps the record
   * (as last set; changed under the record's lock). A completed record has neither, so they live
   * here rather than in every record.
   */
  private static final class Held {
    final String token;

    /** The lease's end, in ticker nanoseconds. */
    volatile long leaseDeadline;

    /** When Caffeine drops the record, in ticker nanoseconds. */
    long keptUntil;

    Held(String token, long leaseDeadline, long keptUntil) {
      this.token = token;
      this.leaseDeadline = leaseDeadline;
      this.keptUntil = keptUntil;
    }
  }

  /** A completed state that is an outcome object: a recorded exception or an encoded outcome. */
  private static final class Recorded {
    final Outcome outcome;

    Recorded(Outcome outcome) {
      this.outcome = outcome;
    }
  }

  /**
   * One record, which is also its own key in the cache. Its state is a {@link Held} lease while in
   * progress, the completed state (the returned value itself, {@link #NULL_RESULT}, or a {@link
   * Recorded} outcome), or {@link #GIVEN_UP} (released, taken over after its lease ran out, or
   * dropped by Caffeine). The state changes under the record's lock (the methods above hold it),
   * except when Caffeine drops a record; duplicates read it without one.
   *
   * <p>The lease is enforced here, not by Caffeine: Caffeine keeps an in-progress record at least
   * {@link #GRACE_NANOS} beyond its lease, so that completing never races Caffeine's own expiry,
   * and a record whose lease ran out is taken over by the next acquire.
   */
  static class Record extends Name {
    private static final VarHandle STATE;

    static {
      try {
        STATE = MethodHandles.lookup().findVarHandle(Record.class, "state", Object.class);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    /** See the class description. */
    volatile Object state;

    Record(String namespace, String value) {
      this.namespace = namespace;
      this.value = value;
    }

    /** The fingerprint as text for the SPI's answers, or null. */
    String fingerprintText() {
      return null;
    }

    /**
     * What a lookup finds here: {@link #COMPLETED} or {@link #IN_PROGRESS} while the lease lasts,
     * with the record and state put in {@code probe}; -1 when the record is to be taken over or is
     * given up. Reads the clock only for a record in progress.
     */
    final int answer(Ticker ticker, Probe probe) {
      Object current = state;
      if (current == GIVEN_UP) {
        return -1;
      }
      if (current instanceof Held held) {
        if (ticker.read() >= held.leaseDeadline) {
          return -1;
        }
        probe.record = this;
        probe.state = current;
        return IN_PROGRESS;
      }
      probe.record = this;
      probe.state = current;
      return COMPLETED;
    }

    /**
     * Gives the record up if its lease ran out at {@code now}, so that its holder can no longer
     * complete, release or renew it.
     */
    final synchronized void takeOver(long now) {
      if (state instanceof Held held && now >= held.leaseDeadline) {
        state = GIVEN_UP;
      }
    }

    /**
     * Caffeine evicted or expired the record: an in-progress one is given up. Called by Caffeine
     * under its own lock on the entry, so this takes no lock of the record's (completion holds the
     * record's lock while it moves the entry's expiry); a compare-and-set instead.
     */
    final void dropped() {
      Object current = state;
      if (current instanceof Held) {
        STATE.compareAndSet(this, current, GIVEN_UP);
      }
    }

    /** Whether {@code token}'s lease is live at {@code now}. Called under the record's lock. */
    final boolean holds(String token, long now) {
      return state instanceof Held held && held.token.equals(token) && now < held.leaseDeadline;
    }
  }

  /** A record with the engine's {@link LocalHash} fingerprint of its call. */
  static final class HashedRecord extends Record {
    final long fingerprint;

    HashedRecord(String namespace, String value, long fingerprint) {
      super(namespace, value);
      this.fingerprint = fingerprint;
    }

    @Override
    String fingerprintText() {
      // Only an engine writes these; a caller of the SPI sees that a fingerprint is there.
      return "local-hash:" + Long.toHexString(fingerprint);
    }
  }

  /** A record with a fingerprint given as text through the SPI. */
  static final class TextRecord extends Record {
    final String fingerprint;

    TextRecord(String namespace, String value, String fingerprint) {
      super(namespace, value);
      this.fingerprint = fingerprint;
    }

    @Override
    String fingerprintText() {
      return fingerprint;
    }
  }

  /**
   * A new record expires when its {@link Held#keptUntil} says, however often it is read; its expiry
   * moves only when {@code complete} or {@code renew} moves it.
   */
  private static final class KeptUntil implements Expiry<Name, Record> {
    @Override
    public long expireAfterCreate(Name key, Record record, long currentTime) {
      return record.state instanceof Held held ? Math.max(0, held.keptUntil - currentTime) : 0;
    }

    @Override
    public long expireAfterUpdate(Name key, Record record, long currentTime, long currentDuration) {
      return record.state instanceof Held held
          ? Math.max(0, held.keptUntil - currentTime)
          : currentDuration;
    }

    @Override
    public long expireAfterRead(Name key, Record record, long currentTime, long currentDuration) {
      return currentDuration;
    }
  }
}
