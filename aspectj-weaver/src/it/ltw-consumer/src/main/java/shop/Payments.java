package shop;

import dev.idempotent.Idempotent;
import java.util.concurrent.atomic.AtomicInteger;

/** A user's service, compiled by javac: only the agent makes its annotation effective. */
public class Payments {
  private final AtomicInteger charges = new AtomicInteger();

  @Idempotent(keyExpr = "#orderId", ttl = "24h")
  public String charge(String orderId, long amountCents) {
    return "receipt-" + orderId + "-" + amountCents + "-" + charges.incrementAndGet();
  }

  @Idempotent(keyExpr = "#p0")
  public static String announce(String event) {
    return "announced " + event + " " + System.nanoTime();
  }

  public int charges() {
    return charges.get();
  }
}
