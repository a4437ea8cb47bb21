package dev.idempotent.rules.expr;

import java.util.List;

/**
 * One operand of a key expression: a constant, or a path that starts at a parameter. Columns are
 * 1-based positions in the expression's source, so that errors can point at the place to fix.
 */
public sealed interface Term permits Term.Literal, Term.Path {

  /** The 1-based column where the term starts. */
  int column();

  /**
   * A string literal ({@code 'tenant'}) or a whole number ({@code 42}).
   *
   * @param text the text the literal contributes to a key: a string's content without quotes, or a
   *     number's digits as written
   * @param column the 1-based column of the opening quote or first digit
   */
  record Literal(String text, int column) implements Term {}

  /**
   * A parameter reference followed by property, index and key steps, such as {@code
   * #cmd.lines[0].sku}.
   *
   * @param variable the name after {@code #}: a parameter name, {@code p0}, {@code a0} or {@code
   *     args}
   * @param column the 1-based column of the {@code #}
   * @param steps the steps after the variable, in order
   */
  record Path(String variable, int column, List<Step> steps) implements Term {

    /** Copies {@code steps} so the path cannot change after parsing. */
    public Path {
      steps = List.copyOf(steps);
    }
  }
}
