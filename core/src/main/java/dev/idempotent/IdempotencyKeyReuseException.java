package dev.idempotent;

/**
 * The same key arrived with different arguments than the call that created its record. The message
 * names the key's namespace, never the stored payload. It usually means a client reused an
 * idempotency key for a different request; the client must use a new key.
 */
public class IdempotencyKeyReuseException extends IdempotencyException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what went wrong and what to do
   */
  public IdempotencyKeyReuseException(String message) {
    super(message);
  }

  /**
   * Creates the exception with a cause.
   *
   * @param message what went wrong and what to do
   * @param cause the underlying failure
   */
  public IdempotencyKeyReuseException(String message, Throwable cause) {
    super(message, cause);
  }
}
