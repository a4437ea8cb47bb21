package shop;

import dev.idempotent.Idempotent;
import java.util.concurrent.atomic.AtomicInteger;

/** Charges once per order id, when woven. */
public class Payments {
  private final AtomicInteger charges = new AtomicInteger();

  @Idempotent(keyExpr = "#orderId")
  public String charge(String orderId, long amountCents) {
    charges.incrementAndGet();
    return "charged " + amountCents + " for " + orderId;
  }

  public int charges() {
    return charges.get();
  }
}
