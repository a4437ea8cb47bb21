package dev.idempotent.guice;

import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.inject.CreationException;
import com.google.inject.Guice;
import com.google.inject.spi.Message;
import dev.idempotent.IdempotencyDefinitionException;
import dev.idempotent.IdempotencyEngine;
import dev.idempotent.testing.behaviour.IdempotentAdapterBehaviour;
import dev.idempotent.testing.behaviour.MisdefinedFixture;
import dev.idempotent.testing.behaviour.MisdefinedOperations;
import java.lang.reflect.Method;
import java.util.function.Function;
import org.junit.jupiter.api.Assumptions;

/**
 * The behaviour suite through a real injector: each fixture is bound explicitly and created by
 * Guice, so its {@code @Idempotent} methods are intercepted by {@link IdempotencyModule}.
 */
class GuiceBehaviourTest extends IdempotentAdapterBehaviour {

  @Override
  protected <T> T protect(
      IdempotencyEngine engine, Class<T> api, Class<? extends T> implementation) {
    return Guice.createInjector(
            new IdempotencyModule(engine), binder -> binder.bind(implementation))
        .getInstance(implementation);
  }

  @Override
  protected Object callStatic(IdempotencyEngine engine, Method method, Object... args) {
    Assumptions.abort("Guice cannot intercept static methods; weave them with idempotent-aspectj");
    return null;
  }

  /** Guice reports a wrong annotation when the injector is created, before any call. */
  @Override
  protected IdempotencyDefinitionException expectDefinitionError(
      IdempotencyEngine engine, String method, Function<MisdefinedOperations, ?> call) {
    CreationException creation =
        assertThrows(
            CreationException.class,
            () -> protect(engine, MisdefinedOperations.class, MisdefinedFixture.class));
    for (Message message : creation.getErrorMessages()) {
      if (message.getCause() instanceof IdempotencyDefinitionException
          && message.getCause().getMessage().contains(method + "(")) {
        return (IdempotencyDefinitionException) message.getCause();
      }
    }
    throw new AssertionError("no definition error for " + method + " in " + creation);
  }
}
