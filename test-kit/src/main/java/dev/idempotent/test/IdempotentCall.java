package dev.idempotent.test;

/**
 * One call of the method under test, as an assertion of {@link IdempotencyTester} makes it: usually
 * a lambda such as {@code () -> payments.charge(request)}. The assertion calls it several times, on
 * one thread or many, so it must make the same call each time.
 *
 * @param <T> the call's result type
 */
@FunctionalInterface
public interface IdempotentCall<T> {

  /**
   * Makes the call.
   *
   * @return the call's result
   * @throws Exception what the call throws; assertions about failures expect it
   */
  T call() throws Exception;
}
