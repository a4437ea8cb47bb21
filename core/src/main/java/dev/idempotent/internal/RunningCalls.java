package dev.idempotent.internal;

import static dev.idempotent.internal.Events.keyHash;

import dev.idempotent.IdempotencyEvent;
import dev.idempotent.Ticker;
import dev.idempotent.store.IdempotencyKey;
import dev.idempotent.store.IdempotencyStore;
import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The calls of one engine that hold a key in this JVM: what local duplicates wait on instead of
 * polling the store, and what the {@link LeaseKeeper} renews. Also whether the engine is closed.
 * Thread-safe.
 */
final class RunningCalls implements LeaseKeeper.Registry {
  private static final Logger LOG = LoggerFactory.getLogger(Protocol.class);

  private final IdempotencyStore store;
  private final Ticker ticker;
  private final Events events;
  private final boolean renewLeases;
  private final ConcurrentHashMap<IdempotencyKey, LocalCall> running = new ConcurrentHashMap<>();
  private volatile boolean watched;
  private volatile boolean closed;

  RunningCalls(IdempotencyStore store, Ticker ticker, Events events, boolean renewLeases) {
    this.store = store;
    this.ticker = ticker;
    this.events = events;
    this.renewLeases = renewLeases;
  }

  /** The call holding {@code key} in this JVM, or null. */
  LocalCall get(IdempotencyKey key) {
    return running.get(key);
  }

  /** Adds a call that has just acquired its key, and has the keeper watch this engine. */
  void add(LocalCall call) {
    running.put(call.key, call);
    // The map entry is written before watched is read, and the keeper clears watched before it
    // reads the map when it lets an idle engine go: one of the two sees the other.
    if (renewLeases && !watched) {
      watched = true;
      LeaseKeeper.watch(this);
    }
  }

  /** Removes a call whose record was completed or released, and wakes its local duplicates. */
  void remove(LocalCall call) {
    running.remove(call.key, call);
    call.finish();
  }

  /** Refuses calls from now on and leaves lease renewal. Idempotent. */
  void close() {
    closed = true;
    LeaseKeeper.unwatch(this);
  }

  @Override
  public boolean isClosed() {
    return closed;
  }

  @Override
  public void released() {
    watched = false;
  }

  @Override
  public Collection<LocalCall> running() {
    return running.values();
  }

  @Override
  public IdempotencyStore store() {
    return store;
  }

  @Override
  public Ticker ticker() {
    return ticker;
  }

  @Override
  public void leaseLost(LocalCall call) {
    LOG.warn(
        "The lease of a running call of {} (key {}) was taken over before it could be renewed;"
            + " its outcome will not be written",
        call.policy.namespace,
        keyHash(call.key));
  }

  @Override
  public void renewalFailed(LocalCall call, RuntimeException failure) {
    events.emit(IdempotencyEvent.Type.STORE_FAILURE, call.policy, call.key, 0, failure);
    LOG.warn(
        "Store failed to renew the lease of a running call of {} (key {})",
        call.policy.namespace,
        keyHash(call.key),
        failure);
  }
}
