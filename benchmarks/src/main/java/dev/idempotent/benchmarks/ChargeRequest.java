package dev.idempotent.benchmarks;

import java.math.BigDecimal;

/**
 * A request with a nested record and a {@link BigDecimal}, the shape issue 17 measures the default
 * hit with (payload check on): plain fields, no Jackson annotations.
 *
 * @param id the client's idempotency key
 * @param customer who is charged
 * @param amount how much
 * @param currency the ISO code of the amount's currency
 */
public record ChargeRequest(String id, Customer customer, BigDecimal amount, String currency) {

  /**
   * The {@code n}th request of a benchmark's cycle: its own customer and its own {@link BigDecimal}
   * (parsed per request, as a deserialized request's would be).
   */
  static ChargeRequest numbered(String prefix, int n) {
    return new ChargeRequest(
        prefix + "-" + (100_000 + n),
        new Customer("cust-" + (100_000 + n), "Ada Lovelace", "ada@example.com"),
        new BigDecimal("49.90"),
        "EUR");
  }
}
