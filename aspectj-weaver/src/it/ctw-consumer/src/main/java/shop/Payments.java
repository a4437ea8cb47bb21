package shop;

import dev.idempotent.Idempotent;
import java.util.concurrent.atomic.AtomicInteger;

/** A user's service: charging twice with the same id must charge once. */
public class Payments {
  private final AtomicInteger charges = new AtomicInteger();

  @Idempotent(keyExpr = "#orderId", ttl = "24h")
  public String charge(String orderId, long amountCents) {
    return "receipt-" + orderId + "-" + amountCents + "-" + charges.incrementAndGet();
  }

  @Idempotent(keyExpr = "#orderId")
  private String refundOnce(String orderId) {
    charges.decrementAndGet();
    return "refund-" + orderId;
  }

  public String refund(String orderId) {
    return refundOnce(orderId);
  }

  public int charges() {
    return charges.get();
  }
}
