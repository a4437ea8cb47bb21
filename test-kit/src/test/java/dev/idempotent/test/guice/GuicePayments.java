package dev.idempotent.test.guice;

import dev.idempotent.Idempotent;
import dev.idempotent.test.ChargeRequest;
import dev.idempotent.test.Gateway;
import dev.idempotent.test.Receipt;
import jakarta.inject.Inject;

/** Not woven: protected only when Guice creates it with IdempotencyModule installed. */
public class GuicePayments {
  private final Gateway gateway;

  /** Payments on {@code gateway}. */
  @Inject
  public GuicePayments(Gateway gateway) {
    this.gateway = gateway;
  }

  /** One charge per key. */
  @Idempotent(keyExpr = "#request.key")
  public Receipt charge(ChargeRequest request) {
    return gateway.charge(request);
  }
}
