package dev.idempotent.benchmarks;

import java.math.BigDecimal;

/**
 * The command the benchmarked methods take: a small value-typed request whose {@code id} is the
 * idempotency key, as a REST handler would receive it.
 *
 * @param id the client's idempotency key
 * @param sku what is ordered
 * @param quantity how many
 * @param amount the price charged
 */
public record PlaceOrder(String id, String sku, int quantity, BigDecimal amount) {

  private static final BigDecimal PRICE = new BigDecimal("19.99");

  /** A command with the given id and fixed other fields. */
  public static PlaceOrder withId(String id) {
    return new PlaceOrder(id, "sku-1042", 2, PRICE);
  }
}
