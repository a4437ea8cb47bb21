package dev.idempotent;

/**
 * The key could not be computed for these arguments, for example because a value on the key
 * expression's path was null (the message names the part of the path that was null), or the key or
 * the scope is not well-formed Unicode (an unpaired surrogate, which no store can keep apart from
 * {@code '?'}; the message gives its position, never the key). The body did not run.
 */
public class IdempotencyKeyException extends IdempotencyException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what went wrong and what to do
   */
  public IdempotencyKeyException(String message) {
    super(message);
  }

  /**
   * Creates the exception with a cause.
   *
   * @param message what went wrong and what to do
   * @param cause the underlying failure
   */
  public IdempotencyKeyException(String message, Throwable cause) {
    super(message, cause);
  }
}
