package dev.idempotent.codec;

import java.lang.reflect.Type;

/**
 * Turns the results of {@code @Idempotent} methods into JSON for stores that serialize outcomes
 * (Redis, JDBC), and back. One codec serves a whole engine; the engine asks it once per method,
 * when the method's policy is built ({@code IdempotencyEngine.check(method)} or the first call),
 * for a {@link ValueCodec} of the method's declared result type, and uses that for every call.
 *
 * <p>Implementations must be thread-safe. {@link JacksonOutcomeCodec} is the default; give another
 * to {@code IdempotencyEngine.Builder.codec(OutcomeCodec)}.
 */
public interface OutcomeCodec {
  /**
   * Prepares writing and reading values of one declared type: the method's generic return type, or
   * the {@code T} of {@code Optional<T>}, {@code CompletionStage<T>} and {@code
   * CompletableFuture<T>}.
   *
   * <p>This is where a codec refuses a type whose values it cannot write and read back exactly: a
   * class with no properties, one that has no constructor or factory to build it from its JSON, an
   * abstract type without a known concrete type, or a property that is written but cannot be read
   * back. The engine reports that as an {@code IdempotencyDefinitionException} that names the
   * method, so the mistake fails at start-up instead of after a body has run.
   *
   * @param valueType the declared type of the values, with its type arguments
   * @return the codec for values of that type; thread-safe
   * @throws IllegalArgumentException when values of the type cannot be written and read back
   *     exactly; the message says why and what would work
   */
  ValueCodec forType(Type valueType);
}
