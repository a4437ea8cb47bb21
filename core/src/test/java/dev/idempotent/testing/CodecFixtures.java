package dev.idempotent.testing;

/**
 * Result and exception types that a store which serializes outcomes handles badly unless the engine
 * takes care: shared by core's codec tests and the Redis and JDBC store tests.
 */
public final class CodecFixtures {
  private CodecFixtures() {}

  /** Passes every definition-time check, but its getter throws when a result is written. */
  public static final class Unwritable {
    public String getId() {
      throw new IllegalStateException("the getter of Unwritable.id fails");
    }

    public void setId(String id) {
      // a setter, so the type reads as writable and readable to every check
    }
  }

  /** Has no properties Jackson can write: refused when the method is checked. */
  public static final class NoProperties {}

  /** An application's exception under a JDK exception type that a method records. */
  public static class LimitReachedException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public LimitReachedException(String message) {
      super(message);
    }
  }
}
