package dev.idempotent.spring;

import dev.idempotent.Idempotent;

/** Beans whose {@code @Idempotent} methods a proxy could not protect, and other shapes. */
final class Beans {
  private Beans() {}

  /** A private annotated method: a proxy never sees its calls. */
  static class PrivateMethod {
    public String call(String id) {
      return charge(id);
    }

    @Idempotent(keyExpr = "#id")
    private String charge(String id) {
      return id;
    }
  }

  /** A final annotated method: the proxy subclass cannot override it. */
  static class FinalMethod {
    @Idempotent(keyExpr = "#id")
    public final String charge(String id) {
      return id;
    }
  }

  /** The annotation on the interface only. */
  interface Api {
    @Idempotent(keyExpr = "#id")
    String charge(String id);
  }

  /** Implements {@link Api} without the annotation. */
  static class InterfaceOnly implements Api {
    @Override
    public String charge(String id) {
      return id;
    }
  }

  /** An API without annotations, for a JDK proxy. */
  interface Charges {
    String charge(String id);

    int runs();
  }

  /** Annotated on the implementing method, reached through {@link Charges}. */
  static class AnnotatedImplementation implements Charges {
    private int runs;

    @Override
    @Idempotent(keyExpr = "#id")
    public synchronized String charge(String id) {
      return id + " #" + ++runs;
    }

    @Override
    public synchronized int runs() {
      return runs;
    }
  }

  /** A wrong key expression, which the start-up check reports. */
  static class WrongExpression {
    @Idempotent(keyExpr = "#nope")
    public String charge(String id) {
      return id;
    }
  }
}
