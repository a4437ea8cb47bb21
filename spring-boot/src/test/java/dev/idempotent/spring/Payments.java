package dev.idempotent.spring;

import dev.idempotent.Idempotent;
import java.util.concurrent.atomic.AtomicInteger;

/** A bean with an {@code @Idempotent} method that counts how often its body ran. */
public class Payments {
  private final AtomicInteger runs = new AtomicInteger();

  /** Charges once per id; the result names the run. */
  @Idempotent(keyExpr = "#id")
  public String charge(String id, int cents) {
    return "charged " + id + " " + cents + " #" + runs.incrementAndGet();
  }

  /** Calls {@link #charge} through {@code this}, which no proxy sees. */
  public String chargeThroughThis(String id, int cents) {
    return charge(id, cents);
  }

  /** How often {@link #charge}'s body ran. */
  public int runs() {
    return runs.get();
  }
}
