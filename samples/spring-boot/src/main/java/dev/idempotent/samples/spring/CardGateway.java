package dev.idempotent.samples.spring;

/** The card network: charging twice takes the customer's money twice. */
public interface CardGateway {
  /**
   * Charges the card.
   *
   * @param request what to charge
   * @return the charge's id at the gateway
   */
  String charge(ChargeRequest request);
}
