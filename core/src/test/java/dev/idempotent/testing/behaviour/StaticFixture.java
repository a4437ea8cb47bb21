package dev.idempotent.testing.behaviour;

import dev.idempotent.Idempotent;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A static {@code @Idempotent} method, for the adapters that can protect one (AspectJ weaving, the
 * programmatic API). Kept apart from {@link OperationsFixture} because Guice refuses to provision a
 * type with an {@code @Idempotent} method it cannot intercept.
 */
public final class StaticFixture {
  private static final AtomicInteger RUNS = new AtomicInteger();

  private StaticFixture() {}

  /** Returns a value that names the run. */
  @Idempotent(keyExpr = "#id")
  public static String next(String id) {
    return "static " + id + " #" + RUNS.incrementAndGet();
  }

  /** How many times {@link #next} ran since the last {@link #reset()}. */
  public static int runs() {
    return RUNS.get();
  }

  /** Sets the run count back to zero. */
  public static void reset() {
    RUNS.set(0);
  }
}
