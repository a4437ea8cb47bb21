package dev.idempotent.aspectj;

import dev.idempotent.IdempotencyEngine;
import dev.idempotent.testing.behaviour.IdempotentAdapterBehaviour;
import java.lang.reflect.Method;
import org.junit.jupiter.api.AfterEach;

/**
 * The behaviour suite through compile-time weaving: the fixtures of core's test-jar are woven by
 * aspectj-maven-plugin at test-compile ({@code <weaveDependencies>}), so a plain {@code new} gives
 * a protected instance.
 */
class AspectJBehaviourTest extends IdempotentAdapterBehaviour {
  private IdempotentAspect.Registration registration;

  @AfterEach
  void closeRegistration() {
    if (registration != null) {
      registration.close();
    }
  }

  private void configure(IdempotencyEngine engine) {
    if (registration == null || registration.engine() != engine) {
      closeRegistration();
      registration = IdempotentAspect.configure(engine);
    }
  }

  @Override
  protected <T> T protect(
      IdempotencyEngine engine, Class<T> api, Class<? extends T> implementation) {
    configure(engine);
    try {
      return implementation.getConstructor().newInstance();
    } catch (ReflectiveOperationException e) {
      throw new IllegalArgumentException("cannot create " + implementation, e);
    }
  }

  @Override
  protected Object callStatic(IdempotencyEngine engine, Method method, Object... args)
      throws Throwable {
    configure(engine);
    return reflect(method, null, args);
  }
}
