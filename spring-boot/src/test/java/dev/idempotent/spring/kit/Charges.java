package dev.idempotent.spring.kit;

import dev.idempotent.Idempotent;
import java.util.concurrent.atomic.AtomicInteger;

/** A bean whose @Idempotent methods cover the kit's checklist, plus one broken caller. */
public class Charges {
  private final AtomicInteger charges = new AtomicInteger();
  private final AtomicInteger timeOuts = new AtomicInteger();

  /** Charges once per order for an hour. */
  @Idempotent(keyExpr = "#orderId", ttl = "1h")
  public String charge(String orderId, int cents) {
    return "ch_" + charges.incrementAndGet() + " " + cents + " for " + orderId;
  }

  /** Like {@link #charge}, but the gateway times out while {@link #timeOutNext} says so. */
  @Idempotent(keyExpr = "#orderId", ttl = "1h")
  public String chargeOrTimeOut(String orderId) {
    if (timeOuts.getAndDecrement() > 0) {
      throw new GatewayTimeout(orderId);
    }
    return "ch_" + charges.incrementAndGet() + " for " + orderId;
  }

  /** Always declined; the decline is recorded and replayed. */
  @Idempotent(keyExpr = "#orderId", ttl = "1h", recordExceptions = CardDeclined.class)
  public String decline(String orderId) {
    charges.incrementAndGet();
    throw new CardDeclined("card declined for " + orderId);
  }

  /** Broken: calls {@link #charge} through {@code this}, which the proxy does not see. */
  public String chargeThroughThis(String orderId, int cents) {
    return charge(orderId, cents);
  }

  /** Makes the next {@code n} calls of {@link #chargeOrTimeOut} time out. */
  public void timeOutNext(int n) {
    timeOuts.set(n);
  }

  /** A gateway timeout: not recorded, so a retry charges. */
  public static final class GatewayTimeout extends RuntimeException {
    private static final long serialVersionUID = 1L;

    GatewayTimeout(String orderId) {
      super("gateway timed out charging " + orderId);
    }
  }

  /** A decline: recorded, so a retry gets it again without charging. */
  public static final class CardDeclined extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception; public for the codec, which rebuilds it on replay. */
    public CardDeclined(String message) {
      super(message);
    }
  }
}
