package dev.idempotent;

/**
 * The root of every exception this library throws. All are unchecked; a caller that wants to treat
 * every idempotency failure alike catches this type.
 */
public class IdempotencyException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates an exception with a message.
   *
   * @param message what went wrong and what to do
   */
  public IdempotencyException(String message) {
    super(message);
  }

  /**
   * Creates an exception with a message and a cause.
   *
   * @param message what went wrong and what to do
   * @param cause the underlying failure
   */
  public IdempotencyException(String message, Throwable cause) {
    super(message, cause);
  }
}
