package dev.idempotent.test.unwoven;

import dev.idempotent.Idempotent;
import dev.idempotent.test.ChargeRequest;
import dev.idempotent.test.Gateway;
import dev.idempotent.test.Receipt;

/**
 * Annotated but left unwoven by the build (javac only): every call runs the body, which is what the
 * kit must catch.
 */
public class UnwovenPayments {
  private final Gateway gateway;

  /** Payments on {@code gateway}. */
  public UnwovenPayments(Gateway gateway) {
    this.gateway = gateway;
  }

  /** Looks protected, is not. */
  @Idempotent(keyExpr = "#request.key")
  public Receipt charge(ChargeRequest request) {
    return gateway.charge(request);
  }
}
