package dev.idempotent.samples.payments;

import java.math.BigDecimal;

/**
 * A request to charge a customer's card, carrying the client's idempotency key.
 *
 * @param idempotencyKey chosen by the client, the same on every retry of one payment
 * @param customer the customer to charge
 * @param amount the amount
 * @param currency the ISO currency code
 */
public record ChargeRequest(
    String idempotencyKey, String customer, BigDecimal amount, String currency) {}
