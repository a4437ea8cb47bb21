package dev.idempotent.benchmarks;

/**
 * The commands a hit-path benchmark cycles through: {@value #COUNT} distinct keys, each called once
 * before measuring so that every measured call is a duplicate. Cycling keeps the lookup from being
 * one permanently cached entry, the same for the engine and the baselines.
 */
final class Keys {
  static final int COUNT = 1024;
  private static final int MASK = COUNT - 1;

  private final PlaceOrder[] commands = new PlaceOrder[COUNT];
  private int next;

  Keys(String prefix) {
    for (int i = 0; i < COUNT; i++) {
      commands[i] = PlaceOrder.withId(prefix + "-" + (100_000 + i));
    }
  }

  /** Every command, for priming. */
  PlaceOrder[] all() {
    return commands.clone();
  }

  /** The next command in the cycle; not thread-safe (one instance per thread). */
  PlaceOrder next() {
    PlaceOrder cmd = commands[next];
    next = (next + 1) & MASK;
    return cmd;
  }
}
