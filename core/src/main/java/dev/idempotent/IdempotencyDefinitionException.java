package dev.idempotent;

/**
 * An {@link Idempotent} annotation (or a programmatic operation) is wrong: a bad key expression, an
 * unknown parameter or property, a bad duration, an unsupported return type. Thrown at the latest
 * on the first call of the method, never wrapped; the message names the class, the method, the
 * attribute and what would be valid.
 */
public class IdempotencyDefinitionException extends IdempotencyException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what went wrong and what to do
   */
  public IdempotencyDefinitionException(String message) {
    super(message);
  }

  /**
   * Creates the exception with a cause.
   *
   * @param message what went wrong and what to do
   * @param cause the underlying failure
   */
  public IdempotencyDefinitionException(String message, Throwable cause) {
    super(message, cause);
  }
}
