package dev.idempotent.test;

import dev.idempotent.IdempotencyEngine;
import dev.idempotent.aspectj.IdempotentAspect;

/**
 * Points {@link IdempotentAspect} at a tester's engine and back. The aspect's engine is one static
 * field for the whole JVM, so only one tester may hold it at a time; a second one fails loudly
 * instead of letting two tests share (and corrupt) each other's records. Loaded only when
 * idempotent-aspectj is on the class path.
 */
final class AspectWiring implements AutoCloseable {
  /** The tester that holds the aspect now, or null. */
  private static AspectWiring holder;

  private final String owner;
  private final IdempotencyEngine previous;
  private final IdempotencyEngine engine;

  private AspectWiring(String owner, IdempotencyEngine previous, IdempotencyEngine engine) {
    this.owner = owner;
    this.previous = previous;
    this.engine = engine;
  }

  /** Whether idempotent-aspectj can be loaded next to the test kit. */
  static boolean available() {
    try {
      Class.forName(
          "dev.idempotent.aspectj.IdempotentAspect", false, AspectWiring.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /**
   * Makes woven methods use {@code engine} until {@link #close()}.
   *
   * @throws IllegalStateException when another tester holds the aspect
   */
  static synchronized AspectWiring wire(String owner, IdempotencyEngine engine) {
    if (holder != null) {
      throw new IllegalStateException(
          "IdempotencyTester '"
              + owner
              + "' cannot wire IdempotentAspect: '"
              + holder.owner
              + "' holds it. The aspect's engine is one per JVM, so tests that call woven methods"
              + " must not run at the same time. Put @ResourceLock(IdempotencyExtension.ASPECT)"
              + " on each such test class (or @Isolated), or build the tester with aspect(false)"
              + " where the test calls no woven method.");
    }
    AspectWiring wiring = new AspectWiring(owner, IdempotentAspect.engine(), engine);
    IdempotentAspect.configure(engine);
    holder = wiring;
    return wiring;
  }

  /** Gives the aspect back the engine it had before; idempotent. */
  @Override
  public void close() {
    synchronized (AspectWiring.class) {
      if (holder != this) {
        return;
      }
      holder = null;
      IdempotentAspect.configure(previous);
    }
  }

  /** Whether woven methods use this wiring's engine right now. */
  boolean intact() {
    return IdempotentAspect.engine() == engine;
  }
}
