package dev.idempotent.test.overrides;

/** Woven too, but its override dropped the annotation, so its refunds run unprotected. */
public class FastRefunds extends Refunds {
  @Override
  public String refund(String chargeId) {
    return "fast_re_" + chargeId;
  }
}
