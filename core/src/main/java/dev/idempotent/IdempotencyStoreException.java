package dev.idempotent;

/**
 * The store failed (unreachable, timed out, or holding a record that cannot be decoded). By default
 * the engine fails closed: the body did not run. The cause is the store's own exception.
 */
public class IdempotencyStoreException extends IdempotencyException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what went wrong and what to do
   */
  public IdempotencyStoreException(String message) {
    super(message);
  }

  /**
   * Creates the exception with a cause.
   *
   * @param message what went wrong and what to do
   * @param cause the underlying failure
   */
  public IdempotencyStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
