package dev.idempotent.samples.payments;

import java.math.BigDecimal;

/**
 * The gateway's receipt for one real charge.
 *
 * @param id the gateway's charge id
 * @param customer the customer charged
 * @param amount the amount charged
 * @param currency the currency
 */
public record Receipt(String id, String customer, BigDecimal amount, String currency) {}
