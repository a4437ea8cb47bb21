package dev.idempotent.testing.behaviour;

import dev.idempotent.Idempotent;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Methods whose {@code @Idempotent} annotations are wrong: every adapter must report them as an
 * {@link dev.idempotent.IdempotencyDefinitionException}, unwrapped, and never run the body.
 */
public class MisdefinedFixture implements MisdefinedOperations {
  private final AtomicInteger runs = new AtomicInteger();

  /** Creates the fixture. */
  public MisdefinedFixture() {}

  @Override
  @Idempotent(keyExpr = "#nope")
  public String unknownParameter(String id) {
    runs.incrementAndGet();
    return id;
  }

  @Override
  @Idempotent(keyExpr = "#id", ttl = "soon")
  public String badTtl(String id) {
    runs.incrementAndGet();
    return id;
  }

  @Override
  public int runs() {
    return runs.get();
  }
}
