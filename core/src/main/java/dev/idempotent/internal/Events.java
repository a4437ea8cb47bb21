package dev.idempotent.internal;

import dev.idempotent.IdempotencyEvent;
import dev.idempotent.IdempotencyListener;
import dev.idempotent.store.IdempotencyKey;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way the protocol tells listeners what happened: each listener guarded on its own, so one
 * that throws is logged and cannot break a call, and store timings read the clock only when some
 * listener wants them. With no listener an event is never built. Immutable and thread-safe.
 */
final class Events {
  private static final Logger LOG = LoggerFactory.getLogger(Protocol.class);

  private final IdempotencyListener[] listeners;
  private final boolean listening;
  private final boolean timings;

  Events(List<IdempotencyListener> listeners) {
    this.listeners = listeners.toArray(new IdempotencyListener[0]);
    this.listening = this.listeners.length > 0;
    this.timings = listeners.stream().anyMatch(IdempotencyListener::wantsTimings);
  }

  /** Whether an event would reach a listener or the debug log: if not, it need not be built. */
  boolean active() {
    return listening || LOG.isDebugEnabled();
  }

  /** Whether some listener wants store timings, so the store steps read the clock. */
  boolean timings() {
    return timings;
  }

  void emit(IdempotencyEvent.Type type, Policy policy, IdempotencyKey key) {
    emit(type, policy, key, 0, null);
  }

  void emit(
      IdempotencyEvent.Type type,
      Policy policy,
      IdempotencyKey key,
      long durationNanos,
      Throwable failure) {
    if (LOG.isDebugEnabled()) {
      LOG.debug("{} {} key {}", type, policy.namespace, keyHash(key));
    }
    if (!listening) {
      return;
    }
    IdempotencyEvent event =
        new IdempotencyEvent(type, policy.namespace, key.value(), durationNanos, failure);
    boolean timing = type.isStoreTiming();
    for (IdempotencyListener listener : listeners) {
      if (timing && !listener.wantsTimings()) {
        continue;
      }
      try {
        listener.onEvent(event);
      } catch (RuntimeException e) {
        LOG.warn("IdempotencyListener {} threw on {}; the call goes on", listener, type, e);
      }
    }
  }

  /** The key as logs show it: the start of its hash, never the value. */
  static String keyHash(IdempotencyKey key) {
    return new IdempotencyEvent(
            IdempotencyEvent.Type.EXECUTED, key.namespace(), key.value(), 0, null)
        .keyHash();
  }
}
