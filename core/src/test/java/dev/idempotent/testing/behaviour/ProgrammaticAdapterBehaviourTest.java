package dev.idempotent.testing.behaviour;

import dev.idempotent.IdempotencyEngine;
import dev.idempotent.Idempotent;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The behaviour suite through the plain programmatic adapter: a proxy that hands every call of an
 * {@code @Idempotent} method to {@link IdempotencyEngine#invoke}, running the body by reflection.
 * This is what any adapter does at its simplest, so the suite pins the engine's own behaviour.
 */
class ProgrammaticAdapterBehaviourTest extends IdempotentAdapterBehaviour {

  @Override
  protected <T> T protect(
      IdempotencyEngine engine, Class<T> api, Class<? extends T> implementation) {
    Object target;
    try {
      target = implementation.getConstructor().newInstance();
    } catch (ReflectiveOperationException e) {
      throw new IllegalArgumentException("cannot create " + implementation, e);
    }
    // One Method instance per method, as a real adapter holds it, so the engine's lookup is a hit.
    Map<Method, Method> annotated = new ConcurrentHashMap<>();
    Object proxy =
        Proxy.newProxyInstance(
            api.getClassLoader(),
            new Class<?>[] {api},
            (self, called, arguments) -> {
              Method method =
                  annotated.computeIfAbsent(
                      called, m -> implementationMethod(implementation, called));
              Object[] args = arguments == null ? new Object[0] : arguments;
              if (!method.isAnnotationPresent(Idempotent.class)) {
                return reflect(method, target, args);
              }
              return engine.invoke(method, args, () -> reflect(method, target, args));
            });
    return api.cast(proxy);
  }

  @Override
  protected Object callStatic(IdempotencyEngine engine, Method method, Object... args)
      throws Throwable {
    return engine.invoke(method, args, () -> reflect(method, null, args));
  }

  private static Method implementationMethod(Class<?> implementation, Method called) {
    try {
      return implementation.getMethod(called.getName(), called.getParameterTypes());
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException(implementation + " does not implement " + called, e);
    }
  }
}
