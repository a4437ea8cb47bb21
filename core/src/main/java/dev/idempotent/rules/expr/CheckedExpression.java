package dev.idempotent.rules.expr;

import java.util.List;

/**
 * A key expression whose every name, property and index has been resolved against a method's
 * parameter types by {@link ExpressionChecker}. Enough to build an evaluator (or to generate one)
 * without consulting the type model about anything but how to read a property. Immutable.
 *
 * @param source the expression as written
 * @param parts the parts that make up a key, in order, with adjacent constants joined
 * @param <T> how the type model represents types
 */
public record CheckedExpression<T>(String source, List<Part<T>> parts) {

  /** Copies {@code parts} so the expression cannot change after checking. */
  public CheckedExpression {
    parts = List.copyOf(parts);
  }

  /**
   * A part of the key.
   *
   * @param <T> how the type model represents types
   */
  public sealed interface Part<T> permits Constant, Read {}

  /**
   * Constant text, from one literal or several adjacent ones.
   *
   * @param text the text
   * @param <T> how the type model represents types
   */
  public record Constant<T>(String text) implements Part<T> {}

  /**
   * A value read from a parameter along a path of steps.
   *
   * @param parameter the parameter's position
   * @param path how the parameter is written, such as {@code #cmd}, {@code #p0} or {@code #args[0]}
   * @param type the parameter's static type
   * @param hops the steps after the parameter, each with its resolved types
   * @param kind the kind of the final value, which decides its text form
   * @param <T> how the type model represents types
   */
  public record Read<T>(int parameter, String path, T type, List<Hop<T>> hops, TypeModel.Kind kind)
      implements Part<T> {

    /** Copies {@code hops} so the part cannot change after checking. */
    public Read {
      hops = List.copyOf(hops);
    }
  }

  /**
   * One resolved step of a {@link Read}. The path text is shared by all steps of a read and cut
   * only when a message needs it, so that checking keeps memory in proportion to the expression's
   * length rather than a copy of the path per step.
   *
   * @param step the step as parsed
   * @param from the static type the step reads from
   * @param fromKind the kind of {@code from}, which decides how the step reads
   * @param to the static type the step yields
   * @param written the whole path of the read as written, such as {@code #cmd.customer.id}
   * @param fromEnd where in {@code written} the path before this step ends
   * @param end where in {@code written} the path including this step ends
   * @param <T> how the type model represents types
   */
  public record Hop<T>(
      Step step, T from, TypeModel.Kind fromKind, T to, String written, int fromEnd, int end) {

    /** The path up to, not including, this step, such as {@code #cmd.customer}. */
    public String fromPath() {
      return written.substring(0, fromEnd);
    }

    /** The path including this step, such as {@code #cmd.customer.id}. */
    public String path() {
      return written.substring(0, end);
    }
  }
}
