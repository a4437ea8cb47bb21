package dev.idempotent;

/**
 * Receives an {@link IdempotencyEvent} for each step of each protected call: for metrics, audit
 * trails and alerts. Called synchronously on the calling thread, so it must be fast and
 * thread-safe. A listener that throws cannot break a call: the engine catches and logs it.
 *
 * <p>Store timing events ({@link IdempotencyEvent.Type#STORE_ACQUIRE} and the like) cost two clock
 * reads per store operation; the engine measures them only when {@link #wantsTimings()} is true.
 */
@FunctionalInterface
public interface IdempotencyListener {

  /** Called once per event. */
  void onEvent(IdempotencyEvent event);

  /** Whether this listener wants store timing events; the default is false. */
  default boolean wantsTimings() {
    return false;
  }

  /** A listener that ignores everything. */
  static IdempotencyListener noop() {
    return event -> {};
  }
}
