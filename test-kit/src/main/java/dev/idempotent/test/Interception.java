package dev.idempotent.test;

import java.lang.reflect.Method;

/**
 * Tells whether an adapter other than the weaver protects a method, for {@link
 * IdempotentMethodsCheck}: {@link GuiceInterception} reads a Guice injector; other containers
 * (Spring) can supply their own.
 */
@FunctionalInterface
public interface Interception {

  /**
   * Why calls of {@code method} are not intercepted, or null when every call of it on an instance
   * the container creates is.
   *
   * @param method a non-abstract {@code @Idempotent} method
   * @return null, or one sentence naming the reason and the fix
   */
  String whyNotIntercepted(Method method);
}
