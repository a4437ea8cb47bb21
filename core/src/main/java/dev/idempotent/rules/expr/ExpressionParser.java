package dev.idempotent.rules.expr;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses the key-expression language into a {@link ParsedExpression}. The grammar is small on
 * purpose, so that an expression can read values and never run code:
 *
 * <pre>
 * expression := term ('+' term)*
 * term       := '#' name step* | 'string' | digits
 * step       := '.' name | '[' digits ']' | '[' 'string' ']'
 * </pre>
 *
 * <p>Whitespace may stand between tokens. A quote inside a string is written twice ({@code
 * 'it''s'}). An expression is at most {@link #MAX_LENGTH} characters long and a path takes at most
 * {@link #MAX_STEPS} steps, so that checking and compiling it cost little and time and memory grow
 * in proportion to its length. Every construct outside the grammar is refused with an {@link
 * ExpressionProblem} that names the column, and constructs users bring from Spring's expression
 * language (method calls, {@code T(...)}, {@code new}, assignment, operators, {@code ?.}) get a
 * message of their own. Thread-safe: each call parses with its own state.
 */
public final class ExpressionParser {
  /**
   * The longest expression, in characters. A key reads a few values; a limit keeps an expression
   * that is generated or pasted by mistake from costing memory and time at start-up.
   */
  public static final int MAX_LENGTH = 1000;

  /** The most steps ({@code .name}, {@code [0]}, {@code ['key']}) one path may take. */
  public static final int MAX_STEPS = 32;

  private static final String OPERAND = "a parameter (#name or #p0), a 'string' or a whole number";

  private final String source;
  private int pos;

  private ExpressionParser(String source) {
    this.source = source;
  }

  /**
   * Parses an expression.
   *
   * @param source the expression as written; not empty
   * @return the parsed expression
   * @throws IllegalArgumentException when {@code source} is empty, which means "fingerprint all
   *     arguments" and is handled before an expression is parsed
   * @throws ExpressionProblem when the expression is blank or breaks the grammar
   */
  public static ParsedExpression parse(String source) {
    if (source.isEmpty()) {
      throw new IllegalArgumentException(
          "an empty key expression means \"fingerprint all arguments\" and is not parsed");
    }
    if (source.isBlank()) {
      throw new ExpressionProblem(
          1,
          "the expression is blank at column 1; write a key expression such as #p0, or leave"
              + " keyExpr empty to key on all arguments.");
    }
    if (source.length() > MAX_LENGTH) {
      throw new ExpressionProblem(
          MAX_LENGTH + 1,
          String.format(
              "the expression is %d characters long, longer than the limit of %d characters"
                  + " (column %d is past it); a key reads a few values, such as #cmd.id, so"
                  + " shorten it.",
              source.length(), MAX_LENGTH, MAX_LENGTH + 1));
    }
    return new ExpressionParser(source).expression();
  }

  /**
   * An expression as messages quote it: whole, or, past {@link #MAX_LENGTH}, its first characters
   * and how long it is, so that a message stays readable whatever was written.
   */
  public static String quotable(String source) {
    if (source.length() <= MAX_LENGTH) {
      return source;
    }
    int cut = Character.isHighSurrogate(source.charAt(59)) ? 59 : 60;
    return source.substring(0, cut) + "… (" + source.length() + " characters)";
  }

  private ParsedExpression expression() {
    List<Term> terms = new ArrayList<>();
    int plusColumn = 0;
    while (true) {
      skipWhitespace();
      Term term = term(plusColumn);
      terms.add(term);
      skipWhitespace();
      if (atEnd()) {
        return new ParsedExpression(source, terms);
      }
      if (peek() != '+') {
        throw afterTerm(term);
      }
      plusColumn = column();
      pos++;
    }
  }

  private Term term(int plusColumn) {
    if (atEnd()) {
      throw problem(
          plusColumn,
          "the expression ends after '+' at column %d; expected %s after it.",
          plusColumn,
          OPERAND);
    }
    int column = column();
    char c = peek();
    if (c == '#') {
      return path();
    }
    if (c == '\'') {
      return new Term.Literal(string(), column);
    }
    if (isDigit(c)) {
      return new Term.Literal(digits(), column);
    }
    if (c == '+') {
      if (plusColumn == 0) {
        throw problem(
            column, "'+' at column %d has nothing before it; expected %s.", column, OPERAND);
      }
      throw problem(
          column,
          "nothing between '+' at column %d and '+' at column %d; expected %s.",
          plusColumn,
          column,
          OPERAND);
    }
    if (c == '"') {
      throw doubleQuoted(column);
    }
    if (Character.isJavaIdentifierStart(c)) {
      throw bareWord();
    }
    throw unexpected(column, c, "expected " + OPERAND);
  }

  private Term.Path path() {
    int column = column();
    pos++;
    if (atEnd() || !Character.isJavaIdentifierStart(peek())) {
      throw problem(
          column,
          "expected a parameter name after '#' at column %d, such as #p0%s.",
          column,
          atEnd() ? "" : ", found " + quoted(peek()));
    }
    String variable = identifier();
    StringBuilder written = new StringBuilder("#").append(variable);
    List<Step> steps = new ArrayList<>();
    while (true) {
      skipWhitespace();
      if (atEnd()) {
        break;
      }
      char c = peek();
      if ((c == '.' || c == '[') && steps.size() == MAX_STEPS) {
        throw problem(
            column(),
            "the path '%s' takes more than %d steps at column %d, the limit for one path; read a"
                + " value nearer to the parameter.",
            written,
            MAX_STEPS,
            column());
      }
      Step step;
      if (c == '.') {
        step = property(written);
      } else if (c == '[') {
        step = bracket();
      } else {
        break;
      }
      steps.add(step);
      written.append(step.text());
    }
    return new Term.Path(variable, column, steps);
  }

  private Step.Property property(CharSequence written) {
    int dot = column();
    pos++;
    skipWhitespace();
    if (atEnd()) {
      throw problem(
          dot, "the expression ends after '.' at column %d; expected a property name.", dot);
    }
    int column = column();
    if (!Character.isJavaIdentifierStart(peek())) {
      throw problem(
          column,
          "expected a property name after '.' at column %d, found %s at column %d.",
          dot,
          quoted(peek()),
          column);
    }
    String name = identifier();
    skipWhitespace();
    if (!atEnd() && peek() == '(') {
      throw problem(
          column,
          "method call '%s()' at column %d is not allowed: a key expression only reads values; %s.",
          name,
          column,
          propertyInstead(written, name));
    }
    return new Step.Property(name, column);
  }

  private static String propertyInstead(CharSequence written, String method) {
    String property = PropertyNames.ofAccessor(method);
    return property == null
        ? "select a property (record component, getter or public field) instead"
        : "read the property instead: " + written + "." + property;
  }

  private Step bracket() {
    int open = column();
    pos++;
    skipWhitespace();
    if (atEnd()) {
      throw problem(
          open,
          "expected an index such as [0] or a key such as ['name'] after '[' at column %d, found"
              + " the end of the expression.",
          open);
    }
    int column = column();
    char c = peek();
    Step step;
    if (isDigit(c)) {
      step = new Step.Index(index(column), open);
    } else if (c == '\'') {
      step = new Step.Key(string(), open);
    } else if (c == ']') {
      throw problem(
          open,
          "empty index '[]' at column %d; expected an integer such as [0] or a string key such as"
              + " ['name'].",
          open);
    } else if (c == '#') {
      throw problem(
          column,
          "index at column %d must be a literal such as [0] or ['name']; computed indexes are not"
              + " allowed.",
          column);
    } else if (c == '"') {
      throw doubleQuoted(column);
    } else {
      throw problem(
          column,
          "expected an integer index such as [0] or a string key such as ['name'] after '[' at"
              + " column %d, found %s.",
          open,
          quoted(c));
    }
    skipWhitespace();
    if (atEnd()) {
      throw problem(
          open, "expected ']' to close '[' at column %d, found the end of the expression.", open);
    }
    if (peek() != ']') {
      throw problem(
          column(),
          "expected ']' at column %d to close '[' at column %d, found %s.",
          column(),
          open,
          quoted(peek()));
    }
    pos++;
    return step;
  }

  private int index(int column) {
    String digits = digits();
    long value = digits.length() > 10 ? Long.MAX_VALUE : Long.parseLong(digits);
    if (value > Integer.MAX_VALUE) {
      throw problem(
          column,
          "index %s at column %d is too large; the largest index is %d.",
          digits,
          column,
          Integer.MAX_VALUE);
    }
    return (int) value;
  }

  private String string() {
    int column = column();
    pos++;
    StringBuilder text = new StringBuilder();
    while (!atEnd()) {
      char c = source.charAt(pos++);
      if (c != '\'') {
        text.append(c);
      } else if (!atEnd() && peek() == '\'') {
        text.append('\'');
        pos++;
      } else {
        return text.toString();
      }
    }
    throw problem(
        column,
        "unterminated string starting at column %d; close it with a single quote ('), and write"
            + " a quote inside a string twice ('').",
        column);
  }

  private String digits() {
    int start = pos;
    while (!atEnd() && isDigit(peek())) {
      pos++;
    }
    return source.substring(start, pos);
  }

  private String identifier() {
    int start = pos;
    pos++;
    while (!atEnd() && isIdentifierPart(peek())) {
      pos++;
    }
    return source.substring(start, pos);
  }

  /** A word without '#': most often a forgotten '#', sometimes a Spring construct. */
  private ExpressionProblem bareWord() {
    int column = column();
    String word = identifier();
    skipWhitespace();
    boolean call = !atEnd() && peek() == '(';
    if (word.equals("new")) {
      return problem(
          column,
          "'new' at column %d is not allowed: a key expression cannot create objects; it reads"
              + " parameters (#name or #p0), their properties and literals.",
          column);
    }
    if (word.equals("T") && call) {
      return problem(
          column,
          "type reference 'T(' at column %d is not allowed: a key expression cannot refer to"
              + " types or call static methods; it reads parameters (#name or #p0), their"
              + " properties and literals.",
          column);
    }
    if (call) {
      return problem(
          column,
          "function call '%s()' at column %d is not allowed: a key expression only reads values;"
              + " it reads parameters (#name or #p0), their properties and literals.",
          word,
          column);
    }
    if (word.equals("null") || word.equals("true") || word.equals("false")) {
      return problem(
          column,
          "'%s' at column %d is not allowed; a constant in a key is a 'string' or a whole"
              + " number.",
          word,
          column);
    }
    return problem(
        column, "'%s' at column %d is not a parameter reference; write #%s.", word, column, word);
  }

  /** The problem with whatever follows a complete term where only '+' or the end may follow. */
  private ExpressionProblem afterTerm(Term term) {
    int column = column();
    char c = peek();
    switch (c) {
      case '(':
        return problem(
            column,
            "'(' at column %d is not allowed: a key expression cannot call methods or functions;"
                + " it reads parameters (#name or #p0), their properties and literals.",
            column);
      case '?':
        return problem(
            column,
            "'?' at column %d is not allowed: a key expression has no conditionals or safe"
                + " navigation; a null on the path is reported when the key is computed.",
            column);
      case '=':
      case '!':
      case '<':
      case '>':
      case '&':
      case '|':
        return problem(
            column,
            "'%c' at column %d is not allowed: a key expression cannot assign, compare or combine"
                + " values; only '+' joins parts of a key.",
            c,
            column);
      case '-':
      case '*':
      case '/':
      case '%':
      case '^':
        return problem(
            column,
            "'%c' at column %d is not allowed: a key expression has no arithmetic; only '+' joins"
                + " parts of a key.",
            c,
            column);
      case '"':
        return doubleQuoted(column);
      default:
        break;
    }
    if (term instanceof Term.Literal) {
      if (c == '.' && pos + 1 < source.length() && isDigit(source.charAt(pos + 1))) {
        return problem(
            term.column(),
            "decimal number at column %d is not allowed; write it as a string such as '%s'.",
            term.column(),
            source.substring(term.column() - 1, pos) + "." + afterDot());
      }
      return unexpected(column, c, "expected '+' or the end of the expression after a literal");
    }
    return unexpected(column, c, "expected '.', '[', '+' or the end of the expression");
  }

  private String afterDot() {
    int start = pos + 1;
    int end = start;
    while (end < source.length() && isDigit(source.charAt(end))) {
      end++;
    }
    return source.substring(start, end);
  }

  private ExpressionProblem doubleQuoted(int column) {
    return problem(
        column,
        "double quote at column %d; string literals use single quotes, such as 'text'.",
        column);
  }

  private ExpressionProblem unexpected(int column, char c, String expected) {
    if (c == '@') {
      return problem(
          column,
          "bean reference '@' at column %d is not allowed: a key expression reads only the"
              + " method's parameters.",
          column);
    }
    return problem(
        column, "unexpected character %s at column %d; %s.", quoted(c), column, expected);
  }

  private static ExpressionProblem problem(int column, String format, Object... args) {
    return new ExpressionProblem(column, String.format(format, args));
  }

  private static String quoted(char c) {
    return Character.isISOControl(c) || Character.isWhitespace(c)
        ? String.format("'\\u%04x'", (int) c)
        : "'" + c + "'";
  }

  private static boolean isIdentifierPart(char c) {
    // Java lets control characters into identifiers and ignores them; a key expression must not.
    return Character.isJavaIdentifierPart(c) && !Character.isIdentifierIgnorable(c);
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private void skipWhitespace() {
    while (!atEnd() && Character.isWhitespace(peek())) {
      pos++;
    }
  }

  private boolean atEnd() {
    return pos >= source.length();
  }

  private char peek() {
    return source.charAt(pos);
  }

  private int column() {
    return pos + 1;
  }
}
