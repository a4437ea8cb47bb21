package dev.idempotent.test;

import dev.idempotent.IdempotencyEngine;
import dev.idempotent.aspectj.IdempotentAspect;

/**
 * Points {@link IdempotentAspect} at a tester's engine through an {@link
 * IdempotentAspect.Registration}, whose close puts back the engine before it. The aspect's engine
 * is one for the whole JVM, so only one tester may hold it at a time; a second one fails loudly
 * (where the aspect itself would only log a warning) instead of letting two tests share, and
 * corrupt, each other's records. Loaded only when idempotent-aspectj is on the class path.
 */
final class AspectWiring implements AutoCloseable {
  /** The tester that holds the aspect now, or null. */
  private static AspectWiring holder;

  private final String owner;
  private final IdempotentAspect.Registration registration;

  private AspectWiring(String owner, IdempotentAspect.Registration registration) {
    this.owner = owner;
    this.registration = registration;
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
    holder = new AspectWiring(owner, IdempotentAspect.configure(engine));
    return holder;
  }

  /**
   * Closes the registration, which gives the aspect back the engine it had before (unless something
   * configured another engine meanwhile); idempotent.
   */
  @Override
  public void close() {
    synchronized (AspectWiring.class) {
      registration.close();
      if (holder == this) {
        holder = null;
      }
    }
  }

  /** Whether woven methods use this wiring's engine right now. */
  boolean intact() {
    return IdempotentAspect.engine() == registration.engine();
  }
}
