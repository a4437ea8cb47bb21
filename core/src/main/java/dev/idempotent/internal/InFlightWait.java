package dev.idempotent.internal;

import dev.idempotent.IdempotencyEvent;
import dev.idempotent.IdempotencyInProgressException;
import dev.idempotent.InFlight;
import dev.idempotent.Ticker;
import dev.idempotent.rules.Durations;
import dev.idempotent.store.IdempotencyKey;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

/**
 * Step 3 of the protocol, for a key whose first call still runs: refuses a re-entrant call and
 * {@link InFlight#REJECT}, and otherwise waits one turn until the store is asked again: on the
 * running call itself when it runs in this JVM (woken when it ends), else by polling with
 * exponential backoff, never past the policy's wait timeout. Immutable and thread-safe.
 */
final class InFlightWait {
  private final Ticker ticker;
  private final Events events;
  private final long initialBackoffNanos;
  private final long maxBackoffNanos;

  InFlightWait(Ticker ticker, Events events, Duration initialBackoff, Duration maxBackoff) {
    this.ticker = ticker;
    this.events = events;
    this.initialBackoffNanos = initialBackoff.toNanos();
    this.maxBackoffNanos = maxBackoff.toNanos();
  }

  /**
   * Waits for one turn.
   *
   * @param local the call holding the key in this JVM, or null when another process holds it
   * @param deadline when waiting ends, in ticker nanoseconds
   * @param attempt how many turns were waited before, for the backoff
   * @throws IdempotencyInProgressException when the call is re-entrant, the policy rejects, the
   *     deadline passed or the thread was interrupted
   */
  void awaitTurn(Policy policy, IdempotencyKey key, LocalCall local, long deadline, int attempt) {
    if (local != null && local.owner == Thread.currentThread()) {
      events.emit(IdempotencyEvent.Type.REJECTED, policy, key);
      throw new IdempotencyInProgressException(
          policy.where
              + ": re-entrant call: this thread is already running the call with this key, so"
              + " waiting for it would never end. Do not call an @Idempotent method again with the"
              + " same key from inside its own body.");
    }
    if (policy.inFlight == InFlight.REJECT) {
      events.emit(IdempotencyEvent.Type.REJECTED, policy, key);
      throw new IdempotencyInProgressException(
          policy.where
              + ": a call with the same key is still running (onInFlight = REJECT); retry later"
              + " to receive its outcome.");
    }
    long remaining = deadline - ticker.read();
    if (remaining <= 0) {
      events.emit(IdempotencyEvent.Type.REJECTED, policy, key);
      throw new IdempotencyInProgressException(
          policy.where
              + ": a call with the same key is still running after waiting "
              + Durations.format(policy.waitTimeout)
              + " (waitTimeout); retry later to receive its outcome, or raise waitTimeout.");
    }
    if (local != null) {
      try {
        local.awaitFinish(remaining);
      } catch (TimeoutException e) {
        // the caller reads the store again, and the next turn checks the deadline
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw interrupted(policy);
      }
    } else {
      long backoff = Math.min(maxBackoffNanos, initialBackoffNanos << Math.min(attempt, 20));
      LockSupport.parkNanos(Math.min(backoff, remaining));
      if (Thread.currentThread().isInterrupted()) {
        throw interrupted(policy);
      }
    }
  }

  /** Reports how long a duplicate waited before it got its answer; nothing if it did not wait. */
  void reportWait(Policy policy, IdempotencyKey key, long waitStarted) {
    if (waitStarted != 0) {
      events.emit(IdempotencyEvent.Type.WAITED, policy, key, ticker.read() - waitStarted, null);
    }
  }

  /** The ticker reading a wait starts at. */
  long now() {
    return ticker.read();
  }

  private static IdempotencyInProgressException interrupted(Policy policy) {
    return new IdempotencyInProgressException(
        policy.where + ": interrupted while waiting for a running call with the same key.");
  }
}
