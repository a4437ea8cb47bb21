package dev.idempotent.testing.behaviour;

/** A checked exception that the fixture records and replays: a declined payment. */
public class Declined extends Exception {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message why the payment was declined
   */
  public Declined(String message) {
    super(message);
  }
}
