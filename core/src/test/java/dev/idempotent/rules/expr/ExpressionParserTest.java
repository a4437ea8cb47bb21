package dev.idempotent.rules.expr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class ExpressionParserTest {

  @Test
  void parsesPathsWithColumnsForEveryStep() {
    ParsedExpression parsed = ExpressionParser.parse("#cmd.lines[0]['k'] + 'x' + 42");
    assertEquals(
        List.of(
            new Term.Path(
                "cmd",
                1,
                List.of(
                    new Step.Property("lines", 6), new Step.Index(0, 11), new Step.Key("k", 14))),
            new Term.Literal("x", 22),
            new Term.Literal("42", 28)),
        parsed.terms());
    assertEquals("#cmd.lines[0]['k'] + 'x' + 42", parsed.source());
  }

  @Test
  void allowsWhitespaceBetweenTokens() {
    ParsedExpression parsed = ExpressionParser.parse("  #a . b [ 1 ]+'c'  ");
    assertEquals(
        List.of(
            new Term.Path("a", 3, List.of(new Step.Property("b", 8), new Step.Index(1, 10))),
            new Term.Literal("c", 16)),
        parsed.terms());
  }

  @Test
  void aQuoteInsideAStringIsWrittenTwice() {
    assertEquals(List.of(new Term.Literal("it's", 1)), ExpressionParser.parse("'it''s'").terms());
    assertEquals("['it''s']", new Step.Key("it's", 1).text());
  }

  @Test
  void emptyInputIsNotAnExpression() {
    assertThrows(IllegalArgumentException.class, () -> ExpressionParser.parse(""));
  }

  @Test
  void problemsCarryTheirColumn() {
    ExpressionProblem problem =
        assertThrows(ExpressionProblem.class, () -> ExpressionParser.parse("#a + #b.c()"));
    assertEquals(9, problem.column());
  }

  @Test
  void controlCharactersAreShownEscaped() {
    ExpressionProblem problem =
        assertThrows(ExpressionProblem.class, () -> ExpressionParser.parse("#a\u0001"));
    assertEquals(
        "unexpected character '\\u0001' at column 3; expected '.', '[', '+' or the end of the"
            + " expression.",
        problem.getMessage());
  }
}
