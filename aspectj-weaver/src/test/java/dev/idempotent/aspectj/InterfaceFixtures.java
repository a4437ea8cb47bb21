package dev.idempotent.aspectj;

import dev.idempotent.Idempotent;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Annotations the weaver cannot see: on an interface method or a superclass method that the class
 * that runs overrides without the annotation. Never called through the annotated declaration here,
 * so ajc's {@code declare error} on such calls does not fire.
 */
final class InterfaceFixtures {
  private InterfaceFixtures() {}

  interface Charges {
    @Idempotent(keyExpr = "#id")
    String charge(String id);
  }

  /** Implements the annotated interface method without the annotation. */
  static class CardCharges implements Charges {
    final AtomicInteger runs = new AtomicInteger();

    @Override
    public String charge(String id) {
      return "charged " + id + " #" + runs.incrementAndGet();
    }
  }

  interface Handler<T> {
    @Idempotent
    String handle(T command);
  }

  /** Implements a generic annotated interface method: javac adds a bridge. */
  static class RefundHandler implements Handler<String> {
    @Override
    public String handle(String command) {
      return "refunded " + command;
    }
  }

  static class Base {
    @Idempotent(keyExpr = "#id")
    String pay(String id) {
      return "paid " + id;
    }
  }

  /** Overrides a woven method without the annotation. */
  static class UnannotatedOverride extends Base {
    @Override
    String pay(String id) {
      return "paid twice " + id;
    }
  }

  /** Implements the annotated interface method and carries the annotation itself. */
  static class Annotated implements Charges {
    @Override
    @Idempotent(keyExpr = "#id")
    public String charge(String id) {
      return "charged " + id;
    }
  }
}
