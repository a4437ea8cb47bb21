package dev.idempotent;

/**
 * A duplicate call arrived while the first call with the same key was still running, and waiting
 * was not allowed ({@link InFlight#REJECT}), timed out, or would have waited on the calling thread
 * itself (a re-entrant call). Retrying later is safe: the first call's outcome will be replayed.
 */
public class IdempotencyInProgressException extends IdempotencyException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what went wrong and what to do
   */
  public IdempotencyInProgressException(String message) {
    super(message);
  }

  /**
   * Creates the exception with a cause.
   *
   * @param message what went wrong and what to do
   * @param cause the underlying failure
   */
  public IdempotencyInProgressException(String message, Throwable cause) {
    super(message, cause);
  }
}
