package dev.idempotent.guice;

import com.google.inject.TypeLiteral;
import com.google.inject.spi.Message;
import com.google.inject.spi.TypeEncounter;
import com.google.inject.spi.TypeListener;
import dev.idempotent.IdempotencyDefinitionException;
import dev.idempotent.IdempotencyEngine;
import jakarta.inject.Inject;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks each type Guice provisions: an {@code @Idempotent} method Guice cannot intercept is an
 * error of the encounter at once; the annotations of the methods that take effect are checked with
 * the engine. During injector creation the engine does not exist yet when types are heard, so those
 * checks wait until Guice injects the engine into this listener (which it does before creation
 * ends), and fail the creation then. Thread-safe.
 */
final class IdempotentTypeChecker implements TypeListener {
  private IdempotencyEngine engine;
  private final Set<Method> unchecked = new LinkedHashSet<>();

  @Inject
  synchronized void checkWith(IdempotencyEngine engine) {
    this.engine = engine;
    List<String> problems = new ArrayList<>();
    for (Method method : unchecked) {
      try {
        engine.check(method);
      } catch (IdempotencyDefinitionException e) {
        problems.add(e.getMessage());
      }
    }
    unchecked.clear();
    if (!problems.isEmpty()) {
      throw new IdempotencyDefinitionException(String.join("\n", problems));
    }
  }

  @Override
  public synchronized <I> void hear(TypeLiteral<I> type, TypeEncounter<I> encounter) {
    IdempotentMethods.Inspection inspection = IdempotentMethods.inspect(type.getRawType());
    for (String problem : inspection.problems()) {
      encounter.addError(new Message(problem));
    }
    for (Method method : inspection.effective()) {
      if (engine == null) {
        unchecked.add(method);
        continue;
      }
      try {
        engine.check(method);
      } catch (IdempotencyDefinitionException e) {
        encounter.addError(new Message(List.of(type), e.getMessage(), e));
      }
    }
  }
}
