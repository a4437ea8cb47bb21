package dev.idempotent.test.overrides;

import dev.idempotent.Idempotent;

/** Woven: one refund per id. */
public class Refunds {
  /** Refunds a charge once per id. */
  @Idempotent(keyExpr = "#chargeId")
  public String refund(String chargeId) {
    return "re_" + chargeId;
  }
}
