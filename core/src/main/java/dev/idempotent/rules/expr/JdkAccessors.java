package dev.idempotent.rules.expr;

import java.util.Set;

/**
 * Which getters that the JDK declares a key may read: an allow-list, shared by the reflection type
 * model and the annotation processor's, so that both refuse the same members.
 *
 * <p>A key expression only reads. The application's own getters are read as properties, but a
 * method named like a getter that a JDK class or interface declares, or that an application method
 * overrides, is read only when it is listed here: many of them change state or do work ({@code
 * AtomicLong.getAndIncrement()}, {@code URLConnection.getInputStream()}, {@code
 * Thread.getStackTrace()}), and a list of the harmful ones would never be complete. The JDK's own
 * values (strings, numbers, dates, collections) have no properties at all; this list is about
 * application classes that extend or implement a JDK type.
 */
public final class JdkAccessors {
  private static final Set<String> ALLOWED =
      Set.of(
          "java.security.Principal#getName",
          "java.util.Map$Entry#getKey",
          "java.util.Map$Entry#getValue");

  private JdkAccessors() {}

  /**
   * Whether a key may call the getter {@code method} as the JDK type {@code declaringType} declares
   * it.
   *
   * @param declaringType the binary name of the JDK class or interface, such as {@code
   *     java.util.Map$Entry}
   * @param method the method's name
   */
  public static boolean allowed(String declaringType, String method) {
    return ALLOWED.contains(declaringType + "#" + method);
  }

  /**
   * Whether a module of this name is part of the JDK ({@code java.*} and {@code jdk.*}), whose
   * types are values or containers to the key language, never beans.
   */
  public static boolean isJdkModule(String module) {
    return module.startsWith("java.") || module.startsWith("jdk.");
  }

  /**
   * How a refused getter is named in messages and in the type models' answers: {@code
   * getAndIncrement() of java.util.concurrent.atomic.AtomicLong}.
   */
  public static String describe(String method, String declaringType) {
    return method + "() of " + declaringType;
  }
}
