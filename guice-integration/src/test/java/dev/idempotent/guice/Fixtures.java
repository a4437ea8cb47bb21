package dev.idempotent.guice;

import dev.idempotent.Idempotent;
import java.util.concurrent.atomic.AtomicInteger;

/** Small classes for the Guice-specific tests. */
final class Fixtures {
  private Fixtures() {}

  /** A plain service Guice can intercept. */
  public static class Payments {
    final AtomicInteger runs = new AtomicInteger();

    @Idempotent(keyExpr = "#id")
    public String charge(String id) {
      return "charged " + id + " #" + runs.incrementAndGet();
    }
  }

  /** Calls its own {@code @Idempotent} method through {@code this}. */
  public static class Checkout {
    final AtomicInteger runs = new AtomicInteger();

    /** Charges twice with one id from inside the class. */
    public String checkoutTwice(String id) {
      return charge(id) + " / " + this.charge(id);
    }

    @Idempotent(keyExpr = "#id")
    public String charge(String id) {
      return "charged " + id + " #" + runs.incrementAndGet();
    }
  }

  /** Guice cannot subclass a final class. */
  public static final class FinalClass {
    @Idempotent(keyExpr = "#id")
    public String charge(String id) {
      return id;
    }
  }

  /** Guice cannot override a final method. */
  public static class FinalMethod {
    @Idempotent(keyExpr = "#id")
    public final String charge(String id) {
      return id;
    }
  }

  /** Guice cannot override a private method. */
  public static class PrivateMethod {
    public String checkout(String id) {
      return charge(id);
    }

    @Idempotent(keyExpr = "#id")
    private String charge(String id) {
      return id;
    }
  }

  /** Guice cannot intercept a static method. */
  public static class StaticMethod {
    @Idempotent(keyExpr = "#id")
    public static String charge(String id) {
      return id;
    }
  }

  /** The override Guice intercepts has no annotation. */
  public static class UnannotatedOverride extends Payments {
    @Override
    public String charge(String id) {
      return super.charge(id);
    }
  }

  /** The annotation is on the interface only. */
  public interface Charging {
    @Idempotent(keyExpr = "#id")
    String charge(String id);
  }

  /** Implements {@link Charging} without the annotation. */
  public static class InterfaceOnly implements Charging {
    @Override
    public String charge(String id) {
      return id;
    }
  }

  /** A generic interface: its implementation gets a bridge method that carries the annotation. */
  public interface Handler<T> {
    String handle(T command);
  }

  /** Implements {@link Handler} for strings; javac adds {@code handle(Object)} as a bridge. */
  public static class StringHandler implements Handler<String> {
    final AtomicInteger runs = new AtomicInteger();

    @Override
    @Idempotent(keyExpr = "#command")
    public String handle(String command) {
      return "handled " + command + " #" + runs.incrementAndGet();
    }
  }
}
