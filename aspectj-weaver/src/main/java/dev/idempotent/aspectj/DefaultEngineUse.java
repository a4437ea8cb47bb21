package dev.idempotent.aspectj;

import dev.idempotent.IdempotencyEngine;
import dev.idempotent.store.CaffeineIdempotencyStore;
import java.lang.reflect.Method;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports, once, that woven methods run on the aspect's default engine: a WARN when this JVM has
 * built an open engine with a store outside the JVM that nobody gave to {@link
 * IdempotentAspect#configure} (almost always a forgotten call, and every instance of the service
 * then keeps its own records), an INFO otherwise.
 */
final class DefaultEngineUse {
  private static final Logger LOG = LoggerFactory.getLogger(IdempotentAspect.class);

  private DefaultEngineUse() {}

  static void report(Method method, IdempotencyEngine fallback) {
    List<IdempotencyEngine> forgotten =
        IdempotencyEngine.openEngines().stream()
            .filter(e -> e != fallback && !(e.store() instanceof CaffeineIdempotencyStore))
            .collect(Collectors.toList());
    String where = WovenCheck.describe(method);
    if (forgotten.isEmpty()) {
      LOG.info(
          "{}: woven @Idempotent methods use IdempotentAspect's default engine, whose records live"
              + " in memory in this JVM only, because IdempotentAspect.configure was not called."
              + " Configure an engine with a shared store (Redis, JDBC) when several instances"
              + " serve the same keys.",
          where);
      return;
    }
    LOG.warn(
        "{}: woven @Idempotent methods run on IdempotentAspect's default engine, whose records live"
            + " in memory in this JVM only, while this JVM built {} with store {} that was never"
            + " given to IdempotentAspect.configure: duplicates reaching another instance run"
            + " again. Call IdempotentAspect.configure(engine) with that engine at start-up, before"
            + " the first call; if the in-memory default is what you want, configure it explicitly"
            + " (IdempotentAspect.configure(IdempotencyEngine.builder().build())).",
        where,
        forgotten.size() == 1 ? "an IdempotencyEngine" : forgotten.size() + " IdempotencyEngines",
        forgotten.stream().map(e -> String.valueOf(e.store())).collect(Collectors.joining(", ")));
  }
}
