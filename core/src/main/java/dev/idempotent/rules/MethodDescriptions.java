package dev.idempotent.rules;

import dev.idempotent.IdempotencyDefinitionException;
import java.lang.reflect.Method;
import java.util.StringJoiner;

/**
 * How methods and definition problems are named in messages, so every error reads the same way:
 * {@code @Idempotent(ttl = "3x") on com.example.Payments.charge(ChargeCommand): <problem>}.
 */
public final class MethodDescriptions {
  private MethodDescriptions() {}

  /**
   * The method as a reader finds it in the source: the declaring class's binary name, the method's
   * name and the simple names of its parameter types, e.g. {@code com.example.Payments.charge(
   * ChargeCommand, String)}.
   */
  public static String describe(Method method) {
    StringJoiner params = new StringJoiner(", ", "(", ")");
    for (Class<?> type : method.getParameterTypes()) {
      params.add(type.getSimpleName());
    }
    return method.getDeclaringClass().getName() + "." + method.getName() + params;
  }

  /**
   * A definition error for one attribute of {@code @Idempotent} on {@code method}.
   *
   * @param where the method, or a description of a programmatic operation
   * @param attribute the annotation attribute, e.g. {@code "ttl"}
   * @param value the attribute's value as written
   * @param problem what is wrong and what would be right, as one or more sentences
   */
  public static IdempotencyDefinitionException definitionError(
      String where, String attribute, String value, String problem) {
    return new IdempotencyDefinitionException(
        "@Idempotent(" + attribute + " = \"" + value + "\") on " + where + ": " + problem);
  }

  /** {@link #definitionError(String, String, String, String)} for a method. */
  public static IdempotencyDefinitionException definitionError(
      Method method, String attribute, String value, String problem) {
    return definitionError(describe(method), attribute, value, problem);
  }

  /** A definition error about the method as a whole rather than one attribute. */
  public static IdempotencyDefinitionException definitionError(Method method, String problem) {
    return new IdempotencyDefinitionException(
        "@Idempotent on " + describe(method) + ": " + problem);
  }
}
