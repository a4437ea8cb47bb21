package dev.idempotent.benchmarks;

import java.math.BigDecimal;

/**
 * One line of an {@link Invoice}.
 *
 * @param sku what is billed
 * @param description how the customer sees it
 * @param quantity how many
 * @param price the price of one
 */
public record LineItem(String sku, String description, int quantity, BigDecimal price) {}
