/**
 * The key-expression language of {@code @Idempotent(keyExpr = ...)}: a small language that reads
 * values from a method's arguments and cannot run code.
 *
 * <p>Two layers, so that an annotation processor can check expressions at compile time with the
 * same rules:
 *
 * <ol>
 *   <li>{@link dev.idempotent.rules.expr.ExpressionParser} turns text into terms and steps with
 *       1-based columns, and {@link dev.idempotent.rules.expr.ExpressionChecker} resolves them
 *       against a {@link dev.idempotent.rules.expr.TypeModel}. Neither uses {@code
 *       java.lang.reflect}.
 *   <li>A reflection type model and a compiler turn the checked expression into method handles;
 *       {@link dev.idempotent.rules.expr.KeyExpression} is the entry point the engine uses.
 * </ol>
 *
 * <p>Decisions the language makes:
 *
 * <ul>
 *   <li>A parameter's name wins over the positional forms: a parameter named {@code p0} or {@code
 *       args} is read by {@code #p0} or {@code #args}. When the class was compiled without {@code
 *       -parameters}, only positions work, and a name is a definition error that says so.
 *   <li>Properties are resolved against the static type. A record component wins over a getter of
 *       the same name, and a getter over a public field. {@code isX()} counts only when it returns
 *       {@code boolean} or {@code Boolean}; the letter after {@code get}/{@code is} must be upper
 *       case. Types of the JDK have no properties: a key reads the user's values, not {@code
 *       String.getBytes()}.
 *   <li>An expression only reads, and that is kept by an allow-list, not a list of harmful methods:
 *       a getter that a JDK type declares, inherited or overridden by an application class, is a
 *       property only when {@link dev.idempotent.rules.expr.JdkAccessors} lists it ({@code
 *       Principal.getName()}, {@code Map.Entry.getKey()} and {@code getValue()}). Otherwise {@code
 *       #box.andIncrement} on a class extending {@code AtomicLong} would call {@code
 *       getAndIncrement()}; a key that names such a getter is a definition error naming the method
 *       and the JDK class that declares it. The type models report these getters apart ({@link
 *       dev.idempotent.rules.expr.TypeModel#refusedProperties}), so the runtime and the annotation
 *       processor say the same thing.
 *   <li>An expression is at most {@link dev.idempotent.rules.expr.ExpressionParser#MAX_LENGTH}
 *       characters and a path at most {@link dev.idempotent.rules.expr.ExpressionParser#MAX_STEPS}
 *       steps, and a path's text is kept once and cut for messages only, so that checking and
 *       compiling cost time and memory in proportion to the expression's length; a path of 65,000
 *       characters is a definition error naming the limit, not an {@code OutOfMemoryError}.
 *   <li>A final value must have a text form that is equal for equal values in every JVM, or a
 *       retried call could compute a different key: strings, numbers, booleans, characters, enums
 *       (by {@code name()}), UUIDs, {@code java.time} values and records whose components qualify
 *       (lists of qualifying values included; maps, sets, arrays and arbitrary objects not, because
 *       their text depends on iteration order or identity). {@code BigDecimal} uses {@code
 *       toString()}, which keeps the scale: {@code 10.0} and {@code 10} are different amounts. A
 *       List, an array or a Map is not a key by itself; an element or a value is.
 *   <li>Map values are read with a string key from maps with {@code CharSequence} keys, and with an
 *       integer index from maps with {@code Integer}, {@code Long}, {@code Short}, {@code Byte} or
 *       {@code BigInteger} keys; a missing key and a key mapped to null are reported apart.
 *   <li>Whitespace may stand between tokens; a quote inside a string is written twice, as in SQL.
 *       Numbers are whole and non-negative; a decimal constant is written as a string.
 *   <li>Parts are joined without a separator: {@code #a + #b} for {@code "x"} and {@code "yz"} is
 *       {@code "xyz"}, as for {@code "xy"} and {@code "z"}; write a separator literal where that
 *       matters.
 * </ul>
 */
package dev.idempotent.rules.expr;
