package dev.idempotent;

/**
 * A duplicate arrived for a call whose body ran, but whose result could not be recorded: the codec
 * of a store that serializes outcomes failed to write it (a class Jackson cannot write, a getter
 * that throws). The first caller received its result; the record keeps the mark of the lost outcome
 * for the method's ttl, so no duplicate runs the body again. This duplicate did not run the body
 * either, and no later one will until the record expires.
 *
 * <p>Fix the result type (the first call logged the codec's failure at ERROR and reported it as
 * {@link IdempotencyEvent.Type#STORE_FAILURE}); {@code IdempotencyEngine.check(method)} finds most
 * such types at start-up.
 */
public class IdempotencyOutcomeNotRecordedException extends IdempotencyException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what happened and what to do
   */
  public IdempotencyOutcomeNotRecordedException(String message) {
    super(message);
  }
}
