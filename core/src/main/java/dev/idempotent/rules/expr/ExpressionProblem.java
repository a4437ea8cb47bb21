package dev.idempotent.rules.expr;

/**
 * A key expression is wrong: a syntax error, or a name, property or type that does not fit the
 * method. Carries the column and a sentence that says what would be valid; the caller adds where
 * the expression is written (a method and its annotation, or a source position in an annotation
 * processor) and turns it into its own kind of error.
 */
public final class ExpressionProblem extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int column;

  /**
   * Creates the problem.
   *
   * @param column the 1-based column in the expression where the problem is
   * @param problem what is wrong and what would be valid, naming the column
   */
  public ExpressionProblem(int column, String problem) {
    // A problem is an expected outcome of checking user input, reported by its message alone.
    super(problem, null, false, false);
    this.column = column;
  }

  /** The 1-based column in the expression where the problem is. */
  public int column() {
    return column;
  }
}
