package dev.idempotent.engine;

import dev.idempotent.IdempotencyEngine;
import java.lang.reflect.Method;
import java.util.Arrays;

/**
 * Calls an annotated method of a fixture through {@link IdempotencyEngine#invoke}, as an adapter.
 */
final class Calls {
  private final IdempotencyEngine engine;

  Calls(IdempotencyEngine engine) {
    this.engine = engine;
  }

  /**
   * Invokes {@code name} on {@code target}; the method is found by name (fixtures do not overload).
   */
  Object call(Object target, String name, Object... args) throws Throwable {
    Method method = find(target.getClass(), name);
    return engine.invoke(method, args, () -> invokeDirectly(method, target, args));
  }

  static Method find(Class<?> type, String name) {
    return Arrays.stream(type.getDeclaredMethods())
        .filter(m -> m.getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no method " + name + " on " + type));
  }

  private static Object invokeDirectly(Method method, Object target, Object[] args)
      throws Throwable {
    try {
      method.setAccessible(true);
      return method.invoke(target, args);
    } catch (java.lang.reflect.InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
