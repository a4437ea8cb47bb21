package dev.idempotent.rules.expr;

import dev.idempotent.rules.expr.TypeModel.Kind;

/**
 * How a value becomes key text. Chosen once per expression from the value's static kind, so that
 * evaluation does not test types.
 */
enum TextForm {
  /**
   * {@code toString()}: a String is returned as it is, numbers, UUIDs and {@code java.time} values
   * in their canonical form, records through their value-based {@code toString()}. A {@code
   * BigDecimal} keeps its scale ({@code 10.0} and {@code 10} are different amounts) and its
   * exponent ({@code 1E+3}), so two amounts share a key only when they are equal.
   */
  TO_STRING {
    @Override
    String of(Object value) {
      return value.toString();
    }
  },

  /** {@code name()}: an enum constant's name, which a {@code toString()} override cannot change. */
  ENUM_NAME {
    @Override
    String of(Object value) {
      return ((Enum<?>) value).name();
    }
  };

  /** The text form of a value of the kind {@link #of(Kind)} chose this form for. */
  abstract String of(Object value);

  /** The text form of values of {@code kind}. */
  static TextForm of(Kind kind) {
    return kind == Kind.ENUM ? ENUM_NAME : TO_STRING;
  }
}
