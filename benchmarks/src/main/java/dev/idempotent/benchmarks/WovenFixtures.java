package dev.idempotent.benchmarks;

import dev.idempotent.Idempotent;
import dev.idempotent.aspectj.WovenIdempotent;
import java.lang.reflect.Method;

/** The check every benchmark over a woven fixture makes in its set-up. */
final class WovenFixtures {
  private WovenFixtures() {}

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
