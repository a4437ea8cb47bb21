package dev.idempotent.rules.expr;

import java.util.Map;
import java.util.SortedMap;

/**
 * What {@link ExpressionChecker} needs to know about static types, whatever represents them: {@link
 * java.lang.reflect.Type} at run time, or {@code javax.lang.model} types in an annotation
 * processor. The checker resolves every step of an expression through this interface alone.
 *
 * <p>Types handed out by a model are fully resolved against the type they were read from: the
 * element type of a {@code List<Item>} is {@code Item}, the type of a property declared as {@code
 * P} in {@code Envelope<P>} read from an {@code Envelope<Order>} is {@code Order}, and a wildcard
 * or an unbound type variable stands for its upper bound.
 *
 * <p>Implementations are thread-safe and answer from the type alone.
 *
 * @param <T> how a type is represented; {@code equals} must hold for two representations of the
 *     same type, because recursive records are recognised by it
 */
public interface TypeModel<T> {

  /** What kind of value {@code type} holds, as far as keys are concerned. */
  Kind kind(T type);

  /**
   * How {@code type} is named in messages: simple names with type arguments, such as {@code
   * ChargeCommand}, {@code List<String>} or {@code int[]}.
   */
  String displayName(T type);

  /**
   * The properties that {@code #x.name} may read from a value of {@code type}, by name in
   * alphabetical order: record components, public JavaBean getters ({@code getX()}, and {@code
   * isX()} returning a boolean) and public instance fields, except getters that a JDK type declares
   * and {@link JdkAccessors} does not allow (see {@link #refusedProperties}). Empty for values of
   * the JDK (strings, numbers, dates, {@code Object}), lists, arrays and maps.
   */
  SortedMap<String, T> properties(T type);

  /**
   * The properties that a getter of {@code type} would read but a key may not call, because a JDK
   * type declares the getter and {@link JdkAccessors} does not allow it ({@code
   * AtomicLong.getAndIncrement()} writes): by property name, the getter as {@link
   * JdkAccessors#describe} names it. Only properties that {@link #properties} does not have.
   */
  SortedMap<String, String> refusedProperties(T type);

  /**
   * The components of a record in declaration order, whose text forms make up the record's text.
   * Empty when {@code type} is not a {@link Kind#RECORD}.
   */
  Map<String, T> recordComponents(T type);

  /**
   * The element type of a list or an array.
   *
   * @throws IllegalArgumentException when {@code type} is not a {@link Kind#LIST} or {@link
   *     Kind#ARRAY}
   */
  T elementType(T type);

  /**
   * The key type of a map.
   *
   * @throws IllegalArgumentException when {@code type} is not a {@link Kind#MAP}
   */
  T mapKeyType(T type);

  /**
   * The value type of a map.
   *
   * @throws IllegalArgumentException when {@code type} is not a {@link Kind#MAP}
   */
  T mapValueType(T type);

  /**
   * The kinds of value the key language tells apart. The scalar kinds have a text form that is the
   * same for equal values in every JVM, so a retried call computes the same key.
   */
  enum Kind {
    /** A {@link CharSequence}; its text is {@code toString()}. */
    STRING(true),
    /** {@code byte}, {@code short}, {@code int}, {@code long}, their boxes, {@code BigInteger}. */
    INTEGER(true),
    /**
     * {@code float}, {@code double}, their boxes, {@code BigDecimal}; the text is {@code
     * toString()}, so {@code 10.0} and {@code 10} stay different amounts.
     */
    DECIMAL(true),
    /** {@code boolean} or {@code Boolean}. */
    BOOLEAN(true),
    /** {@code char} or {@code Character}. */
    CHARACTER(true),
    /** An enum; its text is {@code name()}, which a {@code toString()} override cannot change. */
    ENUM(true),
    /** {@link java.util.UUID}. */
    UUID(true),
    /** A {@code java.time} value such as {@code Instant} or {@code LocalDate}; ISO-8601 text. */
    TEMPORAL(true),
    /** A record: its text is its value-based {@code toString()}, when its components have one. */
    RECORD(false),
    /** A {@link java.util.List}. */
    LIST(false),
    /** An array. */
    ARRAY(false),
    /** A {@link java.util.Map}. */
    MAP(false),
    /** Anything else: {@code Object}, interfaces, classes; no stable text form. */
    OTHER(false);

    private final boolean scalar;

    Kind(boolean scalar) {
      this.scalar = scalar;
    }

    /** Whether a value of this kind has a stable text form of its own. */
    public boolean isScalar() {
      return scalar;
    }
  }
}
