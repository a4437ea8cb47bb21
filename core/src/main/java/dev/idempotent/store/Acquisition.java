package dev.idempotent.store;

import java.util.Objects;

/**
 * The answer of {@link IdempotencyStore#acquire}: the caller now holds the key, or the key's call
 * has completed, or it is still in progress elsewhere. Immutable and thread-safe.
 */
public final class Acquisition {
  /** Which of the three answers this is. */
  public enum Status {
    /** No live record was there; an in-progress record with a new token now holds the lease. */
    ACQUIRED,
    /** A completed record is there; its outcome is to be replayed. */
    COMPLETED,
    /** Another call holds an unexpired lease on the key. */
    IN_PROGRESS
  }

  private final Status status;
  private final String token;
  private final String fingerprint;
  private final Outcome outcome;

  private Acquisition(Status status, String token, String fingerprint, Outcome outcome) {
    this.status = status;
    this.token = token;
    this.fingerprint = fingerprint;
    this.outcome = outcome;
  }

  /**
   * The caller holds the key.
   *
   * @param token the fencing token that {@code complete}, {@code release} and {@code renew} must
   *     present
   */
  public static Acquisition acquired(String token) {
    return new Acquisition(Status.ACQUIRED, Objects.requireNonNull(token, "token"), null, null);
  }

  /**
   * The key's call completed.
   *
   * @param fingerprint the fingerprint stored with the record, or null if none was given
   * @param outcome the stored outcome
   */
  public static Acquisition completed(String fingerprint, Outcome outcome) {
    return new Acquisition(
        Status.COMPLETED, null, fingerprint, Objects.requireNonNull(outcome, "outcome"));
  }

  /**
   * Another call holds the key.
   *
   * @param fingerprint the fingerprint stored by the holder, or null if none was given
   */
  public static Acquisition inProgress(String fingerprint) {
    return new Acquisition(Status.IN_PROGRESS, null, fingerprint, null);
  }

  /** Which answer this is. */
  public Status status() {
    return status;
  }

  /** The fencing token when {@link Status#ACQUIRED}, otherwise null. */
  public String token() {
    return token;
  }

  /** The fingerprint of the record that was found, when completed or in progress; may be null. */
  public String fingerprint() {
    return fingerprint;
  }

  /** The stored outcome when {@link Status#COMPLETED}, otherwise null. */
  public Outcome outcome() {
    return outcome;
  }

  @Override
  public String toString() {
    return "Acquisition[" + status + "]";
  }
}
