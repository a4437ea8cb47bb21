package shop;

import dev.idempotent.Idempotent;
import java.math.BigDecimal;
import java.util.concurrent.atomic.AtomicInteger;

/** A bean with an {@code @Idempotent} method that counts how often its body ran. */
public class Payments {
  private final AtomicInteger runs = new AtomicInteger();

  /** A receipt, recorded as JSON by the Redis and JDBC stores. */
  public record Receipt(String id, BigDecimal amount, int run) {}

  /** Charges once per id. */
  @Idempotent(keyExpr = "#id")
  public Receipt charge(String id, BigDecimal amount) {
    return new Receipt(id, amount, runs.incrementAndGet());
  }

  /** How often the body ran. */
  public int runs() {
    return runs.get();
  }
}
