package dev.idempotent.test;

import java.math.BigDecimal;

/** A charge: the key the client sent, who pays and how much. */
public record ChargeRequest(String key, String customer, BigDecimal amount) {

  /** A request for 10.00 by "alice" with the given key. */
  public static ChargeRequest of(String key) {
    return new ChargeRequest(key, "alice", new BigDecimal("10.00"));
  }

  /** The same key, another amount. */
  public ChargeRequest withAmount(String amount) {
    return new ChargeRequest(key, customer, new BigDecimal(amount));
  }
}
