package dev.idempotent.benchmarks;

import dev.idempotent.Idempotent;
import dev.idempotent.aspectj.IdempotentAspect;

/**
 * The woven fixture of the issue-17 request shapes: compiled by ajc with {@code idempotent-aspectj}
 * like {@link WovenOrderService} (it is among the aspectj-maven-plugin's {@code <includes>}), so
 * each {@code @Idempotent} method carries the aspect's inlined around advice and runs the engine
 * that {@link IdempotentAspect#configure} set.
 */
public class WovenChargeService {

  /** A request with a nested record and a BigDecimal, payload check off. */
  @Idempotent(keyExpr = "#request.id", ttl = "24h", validatePayload = false)
  public Receipt charge(ChargeRequest request) {
    return Receipt.charged(request.id());
  }

  /** The same request, payload check on (the default). */
  @Idempotent(keyExpr = "#request.id", ttl = "24h")
  public Receipt chargeChecked(ChargeRequest request) {
    return Receipt.charged(request.id());
  }

  /** Strings and numbers only, of any size; payload check on. */
  @Idempotent(keyExpr = "#request.id", ttl = "24h")
  public Receipt chargeWithNote(ChargeNote request) {
    return Receipt.charged(request.id());
  }

  /** A nested record and a list of line items; payload check on. */
  @Idempotent(keyExpr = "#request.id", ttl = "24h")
  public Receipt bill(Invoice request) {
    return Receipt.charged(request.id());
  }

  /**
   * Fails unless every method above was woven.
   *
   * @throws IllegalStateException naming the method that is not woven
   */
  static void requireWoven() {
    WovenFixtures.requireWoven(WovenChargeService.class);
  }
}
