package dev.idempotent.spring;

import dev.idempotent.IdempotencyEngine;
import dev.idempotent.aspectj.IdempotentAspect;
import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;

/**
 * Gives idempotent-aspectj's woven methods the context's engine while the context runs ({@link
 * IdempotentAspect#configure}), so woven and proxied methods keep their records in one store. The
 * aspect has one engine per class loader, while a JVM may run several contexts (Spring's test
 * context cache keeps them): the context that starts last wins, a WARN says which engine it
 * replaced, and when it closes the engine of the context registered before it is put back. The only
 * class of the starter that names idempotent-aspectj. Thread-safe.
 */
final class AspectEngineRegistration implements DisposableBean {
  private static final Logger LOG = LoggerFactory.getLogger(AspectEngineRegistration.class);

  /** The registrations of running contexts, newest first. */
  private static final Deque<AspectEngineRegistration> REGISTERED = new ArrayDeque<>();

  private final IdempotencyEngine engine;
  private final String context;

  AspectEngineRegistration(IdempotencyEngine engine, String context) {
    this.engine = engine;
    this.context = context;
    synchronized (REGISTERED) {
      AspectEngineRegistration previous = REGISTERED.peekFirst();
      if (previous != null && previous.engine != engine) {
        LOG.warn(
            "IdempotentAspect: application context '{}' replaces the engine of application context"
                + " '{}', which is still running, for every method woven by idempotent-aspectj in"
                + " this class loader: woven methods called from '{}' now keep their records in"
                + " {}, not in {}. Run one application context per class loader when classes are"
                + " woven, or give both contexts the same IdempotencyEngine bean.",
            context,
            previous.context,
            previous.context,
            engine.store(),
            previous.engine.store());
      }
      REGISTERED.addFirst(this);
      IdempotentAspect.configure(engine);
    }
  }

  /** Takes this context's engine away from the aspect, putting back the one registered before. */
  @Override
  public void destroy() {
    synchronized (REGISTERED) {
      boolean current = REGISTERED.peekFirst() == this;
      REGISTERED.remove(this);
      AspectEngineRegistration previous = REGISTERED.peekFirst();
      if (current && previous != null) {
        IdempotentAspect.configure(previous.engine);
      }
    }
  }
}
