package dev.idempotent.samples.payments;

/** The card network did not answer in time; nothing was charged, and a retry is safe. */
public class GatewayTimeoutException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what timed out
   */
  public GatewayTimeoutException(String message) {
    super(message);
  }
}
