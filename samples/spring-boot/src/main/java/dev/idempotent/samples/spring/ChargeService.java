package dev.idempotent.samples.spring;

import dev.idempotent.Idempotent;
import org.springframework.stereotype.Service;

/**
 * Charges cards once per idempotency key. The starter runs {@link #charge} through the engine: the
 * first call with a key charges, every later one (a retry, a concurrent duplicate, another instance
 * sharing the Redis store) gets the first receipt; the same key with another request is refused.
 */
@Service
public class ChargeService {
  private final CardGateway gateway;

  /**
   * Creates the service.
   *
   * @param gateway the card network
   */
  public ChargeService(CardGateway gateway) {
    this.gateway = gateway;
  }

  /**
   * Charges {@code request} once per {@code idempotencyKey}.
   *
   * @param idempotencyKey the client's key for this charge
   * @param request what to charge; a second request with the same key must be equal
   * @return the receipt of the one charge made for this key
   */
  @Idempotent(keyExpr = "#idempotencyKey", ttl = "24h")
  public Receipt charge(String idempotencyKey, ChargeRequest request) {
    String chargeId = gateway.charge(request);
    return new Receipt(chargeId, request.card(), request.amountCents());
  }
}
