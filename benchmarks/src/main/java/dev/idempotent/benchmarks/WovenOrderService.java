package dev.idempotent.benchmarks;

import dev.idempotent.Idempotent;
import dev.idempotent.aspectj.IdempotentAspect;
import dev.idempotent.aspectj.WovenIdempotent;

/**
 * The woven fixture: the only class of this module that ajc compiles, with {@code
 * idempotent-aspectj} as its aspect library (see the module's pom), so each {@code @Idempotent}
 * method below carries the aspect's inlined around advice and runs the engine that {@link
 * IdempotentAspect#configure} set. The same bodies as {@link OrderService}.
 */
public class WovenOrderService {

  /** The payload check off: the key alone decides. */
  @Idempotent(keyExpr = "#cmd.id", ttl = "24h", validatePayload = false)
  public Receipt place(PlaceOrder cmd) {
    return Receipt.accept(cmd);
  }

  /** The payload check on (the default): a duplicate's arguments are fingerprinted and compared. */
  @Idempotent(keyExpr = "#cmd.id", ttl = "24h")
  public Receipt placeChecked(PlaceOrder cmd) {
    return Receipt.accept(cmd);
  }

  /**
   * Fails unless both methods were woven (the aspect marks each woven method {@link
   * WovenIdempotent}), so that a build that lost the weaving cannot report unwoven figures as woven
   * ones.
   *
   * @throws IllegalStateException naming the method that is not woven
   */
  static void requireWoven() {
    WovenFixtures.requireWoven(WovenOrderService.class);
  }
}
