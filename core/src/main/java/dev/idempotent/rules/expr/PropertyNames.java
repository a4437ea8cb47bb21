package dev.idempotent.rules.expr;

/**
 * JavaBeans naming: which property a getter reads. Shared by the parser, which suggests the
 * property when a user calls a getter, and by the type models (reflection here, javax.lang.model in
 * the annotation processor), which list getters as properties.
 */
public final class PropertyNames {
  private PropertyNames() {}

  /**
   * The property that a method named like a getter reads ({@code getId} and {@code isActive} read
   * {@code id} and {@code active}; {@code getURL} reads {@code URL}), or null when the name is not
   * a getter's. The letter after the prefix must be upper case, so that {@code issue()} or {@code
   * getaway()} are not taken for getters.
   */
  public static String ofAccessor(String method) {
    int prefix = method.startsWith("get") ? 3 : method.startsWith("is") ? 2 : 0;
    if (prefix == 0 || method.length() == prefix || !Character.isUpperCase(method.charAt(prefix))) {
      return null;
    }
    return decapitalize(method.substring(prefix));
  }

  /** Whether {@code method} names an {@code isX} getter, which must return a boolean. */
  public static boolean isBooleanAccessor(String method) {
    return method.startsWith("is");
  }

  private static String decapitalize(String name) {
    // java.beans.Introspector's rule: "URL" stays "URL", "Id" becomes "id".
    if (name.length() > 1 && Character.isUpperCase(name.charAt(1))) {
      return name;
    }
    return Character.toLowerCase(name.charAt(0)) + name.substring(1);
  }
}
