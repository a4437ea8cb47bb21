package dev.idempotent.samples.spring;

/**
 * What a charge returns, and what a duplicate request gets again.
 *
 * @param chargeId the gateway's id of the charge
 * @param card the card token
 * @param amountCents the amount charged, in cents
 */
public record Receipt(String chargeId, String card, long amountCents) {}
