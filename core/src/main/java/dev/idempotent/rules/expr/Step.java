package dev.idempotent.rules.expr;

/**
 * One step of a {@link Term.Path}: reading a property, an element by position, or a map value by
 * key. Columns are 1-based positions in the expression's source.
 */
public sealed interface Step permits Step.Property, Step.Index, Step.Key {

  /** The 1-based column the step's errors point at. */
  int column();

  /** The step as it reads in a path, such as {@code .id}, {@code [0]} or {@code ['tenant']}. */
  String text();

  /**
   * {@code .name}: a record component, a JavaBean getter or a public field.
   *
   * @param name the property name
   * @param column the 1-based column of the name's first character
   */
  record Property(String name, int column) implements Step {
    @Override
    public String text() {
      return "." + name;
    }
  }

  /**
   * {@code [0]}: an element of a List or an array, a parameter by position after {@code #args}, or
   * the value of a map with integer keys.
   *
   * @param index the position, never negative
   * @param column the 1-based column of the {@code [}
   */
  record Index(int index, int column) implements Step {
    @Override
    public String text() {
      return "[" + index + "]";
    }
  }

  /**
   * {@code ['tenant']}: the value of a map with string keys.
   *
   * @param key the key, without quotes
   * @param column the 1-based column of the {@code [}
   */
  record Key(String key, int column) implements Step {
    @Override
    public String text() {
      return "['" + key.replace("'", "''") + "']";
    }
  }
}
