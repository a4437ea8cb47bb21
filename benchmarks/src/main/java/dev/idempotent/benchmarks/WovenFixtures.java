package dev.idempotent.benchmarks;

import dev.idempotent.IdempotencyEngine;
import dev.idempotent.Idempotent;
import dev.idempotent.aspectj.IdempotentAspect;
import dev.idempotent.aspectj.WovenIdempotent;
import dev.idempotent.store.CaffeineIdempotencyStore;
import java.lang.reflect.Method;

/** What every benchmark over a woven fixture does in its set-up. */
final class WovenFixtures {
  private WovenFixtures() {}

  /**
   * Checks that {@code fixture} is woven and sets a new engine, over a Caffeine store bounded by
   * {@code maximumSize}, as the engine of every woven method in this JVM.
   *
   * @return the engine, whose store is a {@link CaffeineIdempotencyStore}
   * @throws IllegalStateException when the fixture is not woven
   */
  static IdempotencyEngine configure(Class<?> fixture, long maximumSize) {
    requireWoven(fixture);
    IdempotencyEngine engine =
        IdempotencyEngine.builder()
            .store(CaffeineIdempotencyStore.builder().maximumSize(maximumSize).build())
            .build();
    IdempotentAspect.configure(engine);
    return engine;
  }

  /**
   * Fails unless every public {@code @Idempotent} method that {@code fixture} declares was woven
   * (the aspect marks each woven method {@link WovenIdempotent}), so that a build that lost the
   * weaving cannot report unwoven figures as woven ones.
   *
   * @throws IllegalStateException naming the first method that is not woven, or when the class
   *     declares no {@code @Idempotent} method at all
   */
  static void requireWoven(Class<?> fixture) {
    int annotated = 0;
    for (Method method : fixture.getMethods()) {
      if (method.getDeclaringClass() != fixture || !method.isAnnotationPresent(Idempotent.class)) {
        continue;
      }
      annotated++;
      if (!method.isAnnotationPresent(WovenIdempotent.class)) {
        throw new IllegalStateException(
            fixture.getSimpleName()
                + "."
                + method.getName()
                + " is not woven: it lacks @WovenIdempotent. Build the module with Maven, whose"
                + " aspectj-maven-plugin weaves it with idempotent-aspectj (the class must be"
                + " among the plugin's <includes>).");
      }
    }
    if (annotated == 0) {
      throw new IllegalStateException(
          fixture.getSimpleName() + " declares no public @Idempotent method to benchmark");
    }
  }
}
