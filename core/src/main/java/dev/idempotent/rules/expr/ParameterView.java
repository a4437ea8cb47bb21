package dev.idempotent.rules.expr;

/**
 * A method parameter as the checker sees it.
 *
 * @param name the parameter's name, or null when the class file does not record it (compiled
 *     without {@code -parameters}); then only positions such as {@code #p0} can refer to it
 * @param type the parameter's static type
 * @param <T> how the type model represents types
 */
public record ParameterView<T>(String name, T type) {}
