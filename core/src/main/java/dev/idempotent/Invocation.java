package dev.idempotent;

/**
 * The body of an intercepted method, as an adapter hands it to {@link IdempotencyEngine#invoke}:
 * calling {@link #proceed()} runs the original method with its original arguments.
 */
@FunctionalInterface
public interface Invocation {

  /**
   * Runs the body.
   *
   * @return what the body returned ({@code null} for {@code void})
   * @throws Throwable whatever the body threw, unchanged
   */
  Object proceed() throws Throwable;
}
