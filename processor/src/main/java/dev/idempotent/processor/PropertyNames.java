package dev.idempotent.processor;

/**
 * JavaBeans naming as the engine's reflection model applies it: which property a getter reads. The
 * letter after {@code get}/{@code is} must be upper case, and {@code java.beans.Introspector}'s
 * rule keeps {@code getURL} as {@code URL}.
 */
final class PropertyNames {
  private PropertyNames() {}

  /** The property {@code method} reads when it is named like a getter, otherwise null. */
  static String ofAccessor(String method) {
    int prefix = method.startsWith("get") ? 3 : method.startsWith("is") ? 2 : 0;
    if (prefix == 0 || method.length() == prefix || !Character.isUpperCase(method.charAt(prefix))) {
      return null;
    }
    String name = method.substring(prefix);
    if (name.length() > 1 && Character.isUpperCase(name.charAt(1))) {
      return name;
    }
    return Character.toLowerCase(name.charAt(0)) + name.substring(1);
  }

  /** Whether {@code method} names an {@code isX} getter, which must return a boolean. */
  static boolean isBooleanAccessor(String method) {
    return method.startsWith("is");
  }
}
