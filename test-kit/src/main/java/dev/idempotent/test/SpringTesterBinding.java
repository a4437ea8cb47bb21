package dev.idempotent.test;

import dev.idempotent.IdempotencyEngine;
import java.util.function.Supplier;

/**
 * The bean of {@link IdempotencyTestConfiguration}: answers the engine of the {@link
 * IdempotencyTester} bound to it, which is the current test's, to the context's {@code @Idempotent}
 * proxies (the Spring Boot starter's proxies ask a {@code Supplier<IdempotencyEngine>} bean on
 * every call when the context has one). {@link IdempotencyExtension} binds and unbinds it around
 * each test of a Spring test class; without JUnit's Spring extension (an {@code
 * ApplicationContextRunner}, a context built by hand), bind it yourself:
 *
 * <pre>{@code
 * try (IdempotencyTester idempotency = IdempotencyTester.create();
 *     SpringTesterBinding.Binding bound =
 *         context.getBean(SpringTesterBinding.class).bind(idempotency)) {
 *   idempotency.assertRetryReturnsSameResult(() -> charges.charge("key-1", request));
 * }
 * }</pre>
 *
 * <p>One tester at a time: a context is shared by every test class that asks for the same
 * configuration, so two tests on it at once would share its proxies; the second bind fails.
 * Thread-safe.
 */
public final class SpringTesterBinding implements Supplier<IdempotencyEngine> {
  private Binding bound;

  /** An unbound binding; {@link IdempotencyTestConfiguration} creates it. */
  public SpringTesterBinding() {}

  /**
   * Makes the context's {@code @Idempotent} proxies use {@code tester}'s engine until the returned
   * binding is closed. Closing the tester does not unbind it; close the binding first.
   *
   * @param tester the current test's tester
   * @return the binding, to close after the test
   * @throws IllegalStateException when another tester is bound (two tests on one context at once)
   */
  public synchronized Binding bind(IdempotencyTester tester) {
    if (bound != null) {
      throw new IllegalStateException(
          "IdempotencyTestConfiguration: "
              + tester
              + " cannot take this Spring context's @Idempotent beans: "
              + bound.tester
              + " has them. Spring shares one cached context among test classes, and its proxies"
              + " can use one test's engine at a time: put"
              + " @ResourceLock(IdempotencyExtension.SPRING) on each test class that imports"
              + " IdempotencyTestConfiguration, or run them in one thread.");
    }
    bound = new Binding(this, tester);
    return bound;
  }

  /** The tester bound now, or null. */
  synchronized IdempotencyTester tester() {
    return bound != null ? bound.tester : null;
  }

  /**
   * The bound tester's engine.
   *
   * @throws IllegalStateException when no tester is bound: the test lacks {@code
   *     ExtendWith(IdempotencyExtension.class)}, or the call came before or after a test
   */
  @Override
  public IdempotencyEngine get() {
    IdempotencyTester tester = tester();
    if (tester == null) {
      throw new IllegalStateException(
          "IdempotencyTestConfiguration is in this Spring context, but no test's IdempotencyTester"
              + " is bound to it, so an @Idempotent bean method has no engine to run on. Add"
              + " @ExtendWith(IdempotencyExtension.class) to the test class (or bind a tester with"
              + " SpringTesterBinding.bind), and call @Idempotent beans only while a test runs,"
              + " not from start-up code or threads that outlive the test.");
    }
    return tester.engine();
  }

  private synchronized void release(Binding binding) {
    if (bound == binding) {
      bound = null;
    }
  }

  @Override
  public String toString() {
    IdempotencyTester tester = tester();
    return "SpringTesterBinding[" + (tester == null ? "unbound" : tester) + "]";
  }

  /** A tester's hold on the context's proxies; closing it releases them. Idempotent. */
  public static final class Binding implements AutoCloseable {
    private final SpringTesterBinding owner;
    private final IdempotencyTester tester;

    private Binding(SpringTesterBinding owner, IdempotencyTester tester) {
      this.owner = owner;
      this.tester = tester;
    }

    /** Unbinds the tester: later calls of {@code @Idempotent} beans fail until the next bind. */
    @Override
    public void close() {
      owner.release(this);
    }
  }
}
