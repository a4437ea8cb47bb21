package dev.idempotent.samples.payments;

import dev.idempotent.Idempotent;

/**
 * The payments service of the compile-time weaving sample: aspectj-maven-plugin weaves the
 * idempotency aspect into {@link #charge}, so every call goes through the engine.
 */
public class PaymentService implements Payments {
  private final CardGateway gateway;

  /**
   * Creates the service.
   *
   * @param gateway the card network
   */
  public PaymentService(CardGateway gateway) {
    this.gateway = gateway;
  }

  @Override
  @Idempotent(keyExpr = "#request.idempotencyKey", ttl = "24h")
  public Receipt charge(ChargeRequest request) {
    return gateway.charge(request.customer(), request.amount(), request.currency());
  }
}
