package dev.idempotent;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Something that happened to one call, as {@link IdempotencyListener}s see it. Carries the
 * namespace and a hash of the key, never argument values or stored outcomes (they may be personal
 * data or secrets). Immutable and thread-safe.
 */
public final class IdempotencyEvent {

  /** What happened. */
  public enum Type {
    /**
     * The body ran and its outcome was recorded (or, for an unrecorded exception, released; or, for
     * a result the codec could not write, recorded as not recordable after a {@link
     * #STORE_FAILURE}).
     */
    EXECUTED,
    /** A duplicate received the stored outcome without running the body. */
    REPLAYED,
    /** A duplicate waited for a running call; {@link #durationNanos()} is how long. */
    WAITED,
    /** A duplicate was refused with {@link IdempotencyInProgressException}. */
    REJECTED,
    /** The same key came with different arguments: {@link IdempotencyKeyReuseException}. */
    KEY_REUSE,
    /**
     * A body finished after its lease had been taken over; its outcome was not written. The body
     * ran longer than its lease and lease renewal did not keep it.
     */
    STALE_COMPLETION,
    /**
     * The store failed, or the codec could not write a body's result; {@link #failure()} is the
     * exception.
     */
    STORE_FAILURE,
    /** The store failed and the engine, configured to fail open, ran the body unprotected. */
    FAIL_OPEN,
    /** A store {@code acquire} finished; {@link #durationNanos()} is how long it took. */
    STORE_ACQUIRE,
    /** A store {@code complete} finished; {@link #durationNanos()} is how long it took. */
    STORE_COMPLETE,
    /** A store {@code release} finished; {@link #durationNanos()} is how long it took. */
    STORE_RELEASE;

    /**
     * Whether this is a store timing event, delivered only to listeners that {@linkplain
     * IdempotencyListener#wantsTimings() want timings}.
     */
    public boolean isStoreTiming() {
      return this == STORE_ACQUIRE || this == STORE_COMPLETE || this == STORE_RELEASE;
    }
  }

  private final Type type;
  private final String namespace;
  private final String keyValue;
  private final long durationNanos;
  private final Throwable failure;

  /**
   * Creates an event. Adapters and stores do not need to; the engine does.
   *
   * @param type what happened
   * @param namespace the key's namespace
   * @param keyValue the key's value, kept only to derive {@link #keyHash()}
   * @param durationNanos how long it took, or 0 where no duration applies
   * @param failure the store's exception for {@link Type#STORE_FAILURE} and {@link Type#FAIL_OPEN},
   *     otherwise null
   */
  public IdempotencyEvent(
      Type type, String namespace, String keyValue, long durationNanos, Throwable failure) {
    this.type = type;
    this.namespace = namespace;
    this.keyValue = keyValue;
    this.durationNanos = durationNanos;
    this.failure = failure;
  }

  /** What happened. */
  public Type type() {
    return type;
  }

  /** The namespace of the call's key: a bounded set of values, one per method or operation. */
  public String namespace() {
    return namespace;
  }

  /**
   * The first 16 hex digits of the SHA-256 of the key's value: enough to correlate log lines of one
   * key, not enough to recover it. Computed when asked for.
   */
  public String keyHash() {
    if (keyValue == null) {
      return "";
    }
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(keyValue.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  }

  /** How long the step took in nanoseconds, for waits and store operations; otherwise 0. */
  public long durationNanos() {
    return durationNanos;
  }

  /** The store's exception, for store failures; otherwise null. */
  public Throwable failure() {
    return failure;
  }

  @Override
  public String toString() {
    return "IdempotencyEvent[" + type + ", namespace=" + namespace + ", key=" + keyHash() + "]";
  }
}
