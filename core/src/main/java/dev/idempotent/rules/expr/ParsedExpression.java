package dev.idempotent.rules.expr;

import java.util.List;

/**
 * A key expression as written, split into the terms that {@code +} joins. Produced by {@link
 * ExpressionParser}; knows nothing about types. Immutable and thread-safe.
 *
 * @param source the expression as written
 * @param terms the terms in order, never empty
 */
public record ParsedExpression(String source, List<Term> terms) {

  /** Copies {@code terms} so the expression cannot change after parsing. */
  public ParsedExpression {
    terms = List.copyOf(terms);
  }
}
