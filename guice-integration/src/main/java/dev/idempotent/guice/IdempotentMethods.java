package dev.idempotent.guice;

import com.google.inject.matcher.Matcher;
import dev.idempotent.Idempotent;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;

/**
 * Which methods the interceptor takes, and which {@code @Idempotent} methods of a type Guice cannot
 * intercept. Stateless.
 */
final class IdempotentMethods {
  /**
   * The annotated methods, without the synthetic and bridge methods javac adds for generic
   * overrides (they carry the annotation too), so each call is intercepted exactly once, and
   * without the methods idempotent-aspectj wove, which run the protocol themselves on every path.
   */
  static final Matcher<Method> INTERCEPTED = new InterceptedMethods();

  /** Put on woven methods by idempotent-aspectj, which this module does not depend on. */
  private static final String WOVEN = "dev.idempotent.aspectj.WovenIdempotent";

  private static final String WEAVE = " or weave the class with idempotent-aspectj.";

  private IdempotentMethods() {}

  /**
   * What an inspection of a type found.
   *
   * @param problems one sentence per {@code @Idempotent} method that Guice cannot intercept
   * @param effective the annotated methods that do take effect, to check with the engine
   */
  record Inspection(List<String> problems, List<Method> effective) {}

  /** Inspects the {@code @Idempotent} methods of {@code type}, inherited ones included. */
  static Inspection inspect(Class<?> type) {
    List<String> problems = new ArrayList<>();
    List<Method> effective = new ArrayList<>();
    Map<String, Method> overriding = new HashMap<>();
    for (Class<?> c : hierarchy(type)) {
      for (Method method : c.getDeclaredMethods()) {
        if (method.isSynthetic() || method.isBridge()) {
          continue;
        }
        String signature = signature(method);
        Method override = overridable(method) ? overriding.putIfAbsent(signature, method) : null;
        if (!method.isAnnotationPresent(Idempotent.class)) {
          continue;
        }
        String problem = problem(type, method, override);
        if (problem != null) {
          problems.add("@Idempotent on " + describe(method) + ": " + problem);
        } else if (override == null && !Modifier.isAbstract(method.getModifiers())) {
          effective.add(method);
        }
      }
    }
    return new Inspection(problems, effective);
  }

  /** Why Guice cannot intercept {@code method} of {@code type}, or null when it can. */
  private static String problem(Class<?> type, Method method, Method override) {
    if (override != null) {
      return override.isAnnotationPresent(Idempotent.class)
          ? null
          : "it is overridden by "
              + describe(override)
              + ", which is not annotated, and annotations are not inherited, so calls would run"
              + " unprotected. Put @Idempotent on "
              + describe(override)
              + ".";
    }
    int modifiers = method.getModifiers();
    if (Modifier.isAbstract(modifiers)) {
      return "it is abstract and "
          + type.getName()
          + " has no implementation of it that carries the annotation, which is not inherited. Put"
          + " @Idempotent on the implementing method.";
    }
    if (isWoven(method)) {
      return null;
    }
    String reason;
    String fix;
    if (Modifier.isStatic(modifiers)) {
      reason = "the method is static";
      fix = "Make it an instance method,";
    } else if (Modifier.isPrivate(modifiers)) {
      reason = "the method is private";
      fix = "Make it package-private, protected or public and call it on the injected instance,";
    } else if (Modifier.isFinal(modifiers)) {
      reason = "the method is final";
      fix = "Remove final from the method,";
    } else if (Modifier.isFinal(type.getModifiers())) {
      reason = "the class " + type.getName() + " is final";
      fix = "Remove final from the class,";
    } else {
      return null;
    }
    return "Guice cannot intercept it because "
        + reason
        + ", so calls would run unprotected. "
        + fix
        + WEAVE;
  }

  /** Whether idempotent-aspectj wove the method, so that it protects itself. */
  static boolean isWoven(Method method) {
    for (Annotation annotation : method.getDeclaredAnnotations()) {
      if (annotation.annotationType().getName().equals(WOVEN)) {
        return true;
      }
    }
    return false;
  }

  /** The type, its superclasses up to Object, then all interfaces they implement. */
  private static List<Class<?>> hierarchy(Class<?> type) {
    List<Class<?>> classes = new ArrayList<>();
    Deque<Class<?>> interfaces = new ArrayDeque<>();
    for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
      classes.add(c);
      interfaces.addAll(Arrays.asList(c.getInterfaces()));
    }
    Set<Class<?>> seen = new HashSet<>();
    while (!interfaces.isEmpty()) {
      Class<?> i = interfaces.poll();
      if (seen.add(i)) {
        classes.add(i);
        interfaces.addAll(Arrays.asList(i.getInterfaces()));
      }
    }
    return classes;
  }

  private static boolean overridable(Method method) {
    int modifiers = method.getModifiers();
    return !Modifier.isPrivate(modifiers) && !Modifier.isStatic(modifiers);
  }

  private static String signature(Method method) {
    return method.getName() + Arrays.toString(method.getParameterTypes());
  }

  private static final class InterceptedMethods implements Matcher<Method> {
    @Override
    public boolean matches(Method method) {
      return !method.isSynthetic()
          && !method.isBridge()
          && method.isAnnotationPresent(Idempotent.class)
          && !isWoven(method);
    }

    @Override
    public String toString() {
      return "@Idempotent methods (not synthetic, not bridge, not woven)";
    }
  }

  /** The method as written in messages: {@code com.example.Payments.charge(ChargeCommand)}. */
  static String describe(Method method) {
    StringJoiner params = new StringJoiner(", ", "(", ")");
    for (Class<?> type : method.getParameterTypes()) {
      params.add(type.getSimpleName());
    }
    return method.getDeclaringClass().getName() + "." + method.getName() + params;
  }
}
