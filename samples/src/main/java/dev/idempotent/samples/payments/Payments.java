package dev.idempotent.samples.payments;

/** Charges customers; each sample protects an implementation with its own adapter. */
public interface Payments {

  /**
   * Charges the request's customer once per idempotency key.
   *
   * @return the receipt of the one real charge for this key
   */
  Receipt charge(ChargeRequest request);
}
