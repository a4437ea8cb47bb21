package dev.idempotent.internal;

import dev.idempotent.IdempotencyListener;
import dev.idempotent.KeyScope;
import dev.idempotent.Ticker;
import dev.idempotent.codec.OutcomeCodec;
import dev.idempotent.store.IdempotencyStore;
import java.time.Duration;
import java.util.List;

/**
 * An engine's settings, checked by {@code IdempotencyEngine.Builder} and fixed for the engine's
 * life: what {@link Policies} derives policies from and what the {@link Protocol} runs with.
 * Immutable and thread-safe.
 *
 * @param store the store
 * @param ticker the time source
 * @param defaultTtl the ttl where an annotation or operation names none
 * @param defaultLease the lease where none is named
 * @param defaultWaitTimeout the wait timeout where none is named
 * @param scope the scope mixed into every key, or null
 * @param hashKeys whether key values are replaced by their SHA-256
 * @param listeners the listeners, in the order they were added
 * @param codec the codec of outcomes for a store that serializes them
 * @param failOpen whether a store failure runs the body unprotected instead of failing the call
 * @param renewLeases whether the leases of long bodies are renewed
 * @param initialBackoff the first poll interval while waiting on a call in another process
 * @param maxBackoff the longest poll interval
 */
public record EngineSettings(
    IdempotencyStore store,
    Ticker ticker,
    Duration defaultTtl,
    Duration defaultLease,
    Duration defaultWaitTimeout,
    KeyScope scope,
    boolean hashKeys,
    List<IdempotencyListener> listeners,
    OutcomeCodec codec,
    boolean failOpen,
    boolean renewLeases,
    Duration initialBackoff,
    Duration maxBackoff) {

  /** Copies the listeners, so the settings stay fixed. */
  public EngineSettings {
    listeners = List.copyOf(listeners);
  }
}
