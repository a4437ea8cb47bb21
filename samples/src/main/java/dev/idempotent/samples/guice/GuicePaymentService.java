package dev.idempotent.samples.guice;

import dev.idempotent.Idempotent;
import dev.idempotent.samples.payments.CardGateway;
import dev.idempotent.samples.payments.ChargeRequest;
import dev.idempotent.samples.payments.Payments;
import dev.idempotent.samples.payments.Receipt;
import jakarta.inject.Inject;

/**
 * The payments service of the Guice sample. It is not woven: Guice creates it and its interceptor
 * runs {@link #charge} through the engine.
 */
public class GuicePaymentService implements Payments {
  private final CardGateway gateway;

  /**
   * Created by Guice.
   *
   * @param gateway the card network
   */
  @Inject
  public GuicePaymentService(CardGateway gateway) {
    this.gateway = gateway;
  }

  @Override
  @Idempotent(keyExpr = "#request.idempotencyKey", ttl = "24h")
  public Receipt charge(ChargeRequest request) {
    return gateway.charge(request.customer(), request.amount(), request.currency());
  }
}
