package dev.idempotent.store;

import java.util.Objects;

/**
 * The answer of {@link IdempotencyStore#acquire}, one of three records: {@link Acquired} (the
 * caller now holds the key), {@link Completed} (the key's call has completed; replay its outcome)
 * or {@link InProgress} (another call still holds the key). Stores build them with {@link
 * #acquired}, {@link #completed} and {@link #inProgress}; callers test the type ({@code instanceof
 * Acquisition.Completed completed}) or switch on {@link #status()}. Immutable and thread-safe.
 *
 * <p>The accessors {@link #token()}, {@link #fingerprint()} and {@link #outcome()} on this
 * interface answer null where the answer has no such part; they stay for stores and tests written
 * against the class this was before 0.2, and each record's own accessor is the typed way to read
 * it.
 */
public sealed interface Acquisition
    permits Acquisition.Acquired, Acquisition.Completed, Acquisition.InProgress {

  /** Which of the three answers this is. */
  enum Status {
    /** No live record was there; an in-progress record with a new token now holds the lease. */
    ACQUIRED,
    /** A completed record is there; its outcome is to be replayed. */
    COMPLETED,
    /** Another call holds an unexpired lease on the key. */
    IN_PROGRESS
  }

  /**
   * The caller holds the key.
   *
   * @param token the fencing token that {@code complete}, {@code release} and {@code renew} must
   *     present
   * @return the answer
   * @throws NullPointerException when {@code token} is null
   */
  static Acquisition acquired(String token) {
    return new Acquired(token);
  }

  /**
   * The key's call completed; its outcome is to be replayed.
   *
   * @param fingerprint the fingerprint stored with the record, or null
   * @param outcome the stored outcome
   * @return the answer
   * @throws NullPointerException when {@code outcome} is null
   */
  static Acquisition completed(String fingerprint, Outcome outcome) {
    return new Completed(fingerprint, outcome);
  }

  /**
   * Another call holds the key.
   *
   * @param fingerprint the holder's fingerprint, so a duplicate with different arguments fails at
   *     once; or null
   * @return the answer
   */
  static Acquisition inProgress(String fingerprint) {
    return new InProgress(fingerprint);
  }

  /**
   * Which answer this is.
   *
   * @return the status
   */
  Status status();

  /**
   * The token of an {@link Acquired} answer, otherwise null.
   *
   * @return the token, or null
   */
  default String token() {
    return null;
  }

  /**
   * The stored fingerprint of a {@link Completed} or {@link InProgress} answer, otherwise null.
   *
   * @return the fingerprint, or null
   */
  default String fingerprint() {
    return null;
  }

  /**
   * The outcome of a {@link Completed} answer, otherwise null.
   *
   * @return the outcome, or null
   */
  default Outcome outcome() {
    return null;
  }

  /**
   * The caller holds the key.
   *
   * @param token the fencing token that {@code complete}, {@code release} and {@code renew} must
   *     present; not null
   */
  record Acquired(String token) implements Acquisition {
    /**
     * @throws NullPointerException when {@code token} is null
     */
    public Acquired {
      Objects.requireNonNull(token, "token");
    }

    @Override
    public Status status() {
      return Status.ACQUIRED;
    }

    @Override
    public String toString() {
      return "Acquisition[ACQUIRED]";
    }
  }

  /**
   * The key's call completed.
   *
   * @param fingerprint the fingerprint stored with the record, or null
   * @param outcome the stored outcome; not null
   */
  record Completed(String fingerprint, Outcome outcome) implements Acquisition {
    /**
     * @throws NullPointerException when {@code outcome} is null
     */
    public Completed {
      Objects.requireNonNull(outcome, "outcome");
    }

    @Override
    public Status status() {
      return Status.COMPLETED;
    }

    @Override
    public String toString() {
      return "Acquisition[COMPLETED]";
    }
  }

  /**
   * Another call holds an unexpired lease on the key.
   *
   * @param fingerprint the holder's fingerprint, or null
   */
  record InProgress(String fingerprint) implements Acquisition {
    @Override
    public Status status() {
      return Status.IN_PROGRESS;
    }

    @Override
    public String toString() {
      return "Acquisition[IN_PROGRESS]";
    }
  }
}
