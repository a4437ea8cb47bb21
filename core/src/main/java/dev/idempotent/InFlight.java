package dev.idempotent;

/** What a duplicate call does while the first call with the same key is still running. */
public enum InFlight {
  /**
   * Wait for the first call's outcome and return it. A duplicate in the same JVM joins the running
   * call; one in another process polls the store with capped exponential backoff. The wait is
   * bounded by {@link Idempotent#waitTimeout()}.
   */
  WAIT,
  /** Throw {@link IdempotencyInProgressException} at once. */
  REJECT
}
