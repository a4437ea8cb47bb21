package dev.idempotent.guice.woven;

import dev.idempotent.Idempotent;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Compiled by ajc with idempotent-aspectj (see this module's pom) and also created by Guice. Its
 * private and final methods only weaving can protect; its int parameter is boxed anew by each
 * adapter a call passes.
 */
public class WovenInventory {
  private final AtomicInteger runs = new AtomicInteger();
  private volatile String lastStack = "";

  /** Reserves stock once per reservation id; records the call stack of the body. */
  @Idempotent(keyExpr = "#reservationId")
  public String reserve(String reservationId, int quantity) {
    StringBuilder stack = new StringBuilder();
    for (StackTraceElement frame : Thread.currentThread().getStackTrace()) {
      stack.append(frame.getClassName()).append('.').append(frame.getMethodName()).append('\n');
    }
    lastStack = stack.toString();
    return "reserved " + quantity + " for " + reservationId + " #" + runs.incrementAndGet();
  }

  /** Releases stock through a private method that only weaving protects. */
  public String release(String reservationId) {
    return releaseOnce(reservationId);
  }

  @Idempotent(keyExpr = "#reservationId")
  private String releaseOnce(String reservationId) {
    return "released " + reservationId + " #" + runs.incrementAndGet();
  }

  /** A final method that only weaving protects. */
  @Idempotent(keyExpr = "#reservationId")
  public final String audit(String reservationId) {
    return "audited " + reservationId + " #" + runs.incrementAndGet();
  }

  /**
   * Counts a reservation once per id; its body calls the method again once, on this instance (the
   * Guice subclass), with the same id.
   */
  @Idempotent(keyExpr = "#reservationId")
  public String recount(String reservationId) {
    int run = runs.incrementAndGet();
    if (run > 1) {
      return "nested " + reservationId + " #" + run;
    }
    return "recounted " + reservationId + " around " + recount(reservationId);
  }

  /** How many times any body ran. */
  public int runs() {
    return runs.get();
  }

  /** The class and method names on the stack of the last {@link #reserve} body, one a line. */
  public String lastStack() {
    return lastStack;
  }
}
