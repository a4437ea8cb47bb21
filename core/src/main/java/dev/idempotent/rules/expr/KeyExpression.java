package dev.idempotent.rules.expr;

import dev.idempotent.IdempotencyDefinitionException;
import dev.idempotent.IdempotencyKeyException;
import dev.idempotent.rules.MethodDescriptions;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.util.Objects;

/**
 * A compiled {@code keyExpr}: computes the key text of one call from the method's arguments.
 *
 * <p>{@link #compile} does all the work that depends on the method alone: it parses the expression,
 * checks every name, property and index against the method's generic parameter types, and resolves
 * each property to a method handle. {@link #evaluate} then only reads values: no reflection
 * lookups, and no allocation beyond the key itself (an expression of one part whose value is a
 * String returns that String).
 *
 * <p>Values become text as {@link TypeModel.Kind} describes: strings as they are, numbers, UUIDs
 * and {@code java.time} values through {@code toString()} ({@code BigDecimal} keeps its scale),
 * enums by {@code name()}, records through their value-based {@code toString()}. Parts are joined
 * without a separator; write one as a literal ({@code #tenant + ':' + #cmd.id}).
 *
 * <p>Immutable and thread-safe.
 */
public final class KeyExpression {
  private final String source;
  private final Segment[] segments;
  private final int expectedLength;

  private KeyExpression(String source, Segment[] segments) {
    this.source = source;
    this.segments = segments;
    int expected = 0;
    for (Segment segment : segments) {
      expected += segment.expectedLength();
    }
    this.expectedLength = expected;
  }

  /**
   * Parses {@code expression}, checks it against {@code method}'s parameter types and compiles it.
   *
   * @param method the annotated method; its parameter names are used when its class was compiled
   *     with {@code -parameters}
   * @param expression the {@code keyExpr} as written; not empty
   * @return the compiled expression
   * @throws IdempotencyDefinitionException when the expression is blank, breaks the grammar, names
   *     an unknown parameter or property, or yields a value without a stable text form; the message
   *     names the method, the expression, the column and what would be valid
   * @throws IllegalArgumentException when {@code expression} is empty, which means "fingerprint all
   *     arguments" and has no expression to compile
   */
  public static KeyExpression compile(Method method, String expression) {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(expression, "expression");
    try {
      ParsedExpression parsed = ExpressionParser.parse(expression);
      ReflectionTypeModel model = new ReflectionTypeModel();
      CheckedExpression<Type> checked =
          ExpressionChecker.check(parsed, ReflectionTypeModel.parametersOf(method), model);
      String failure =
          "key expression '" + expression + "' of " + MethodDescriptions.describe(method);
      return new KeyExpression(expression, ReflectionCompiler.compile(checked, model, failure));
    } catch (ExpressionProblem problem) {
      throw MethodDescriptions.definitionError(
          method, "keyExpr", ExpressionParser.quotable(expression), problem.getMessage());
    }
  }

  /**
   * The key text for one call.
   *
   * @param args the call's arguments in declaration order, as the method received them
   * @return the key text
   * @throws IdempotencyKeyException when a value on a path is null, an index is out of range, a map
   *     has no such key, or a getter throws (then with the getter's exception as the cause); the
   *     message names the part of the path
   */
  public String evaluate(Object[] args) {
    Segment[] parts = segments;
    if (parts.length == 1) {
      return parts[0].text(args);
    }
    StringBuilder key = new StringBuilder(expectedLength);
    for (Segment part : parts) {
      key.append(part.text(args));
    }
    return key.toString();
  }

  /** The expression as written. */
  public String source() {
    return source;
  }

  /** The expression as written. */
  @Override
  public String toString() {
    return source;
  }
}
