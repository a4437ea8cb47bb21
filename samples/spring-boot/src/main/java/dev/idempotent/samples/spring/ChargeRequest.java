package dev.idempotent.samples.spring;

/**
 * What a client asks to charge.
 *
 * @param card the card token
 * @param amountCents the amount in cents
 */
public record ChargeRequest(String card, long amountCents) {}
