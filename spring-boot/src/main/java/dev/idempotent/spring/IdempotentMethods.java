package dev.idempotent.spring;

import dev.idempotent.Idempotent;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import org.springframework.aop.support.AopUtils;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * Which method of a bean carries {@code @Idempotent} for the proxy, and which annotated methods a
 * proxy cannot reach. The annotation counts only on the method of the class that runs (as for the
 * AspectJ and Guice adapters): it is not inherited from an interface or an overridden method.
 * Stateless.
 */
final class IdempotentMethods {
  /** Put on woven methods by idempotent-aspectj, which this module does not depend on. */
  private static final String WOVEN = "dev.idempotent.aspectj.WovenIdempotent";

  private IdempotentMethods() {}

  /**
   * The method that runs when {@code method} is called on an instance of {@code targetClass}: the
   * implementation in the class, with bridge methods resolved to the method they call.
   */
  static Method specific(Method method, Class<?> targetClass) {
    return AopUtils.getMostSpecificMethod(method, targetClass);
  }

  /**
   * Whether the proxy runs {@code method} (already the {@linkplain #specific specific} one) through
   * the engine: it carries the annotation itself and idempotent-aspectj did not weave it (a woven
   * method runs the protocol itself, with the aspect's engine, on every path).
   */
  static boolean intercepted(Method method) {
    return !method.isBridge()
        && !method.isSynthetic()
        && method.isAnnotationPresent(Idempotent.class)
        && !isWoven(method);
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

  /**
   * One sentence per {@code @Idempotent} method of {@code type} (or of its superclasses and
   * interfaces) whose calls a Spring proxy would let through unprotected.
   */
  static List<String> problems(Class<?> type) {
    List<String> problems = new ArrayList<>();
    Class<?> userClass = ClassUtils.getUserClass(type);
    for (Method method : ReflectionUtils.getUniqueDeclaredMethods(userClass)) {
      problem(userClass, method, problems);
    }
    for (Class<?> api : ClassUtils.getAllInterfacesForClassAsSet(userClass)) {
      for (Method method : api.getMethods()) {
        Method runs = specific(method, userClass);
        if (method.isAnnotationPresent(Idempotent.class)
            && runs != method
            && !runs.isAnnotationPresent(Idempotent.class)) {
          problems.add(
              "@Idempotent on "
                  + describe(method)
                  + " has no effect: annotations on interface methods are not inherited, and "
                  + describe(runs)
                  + " runs unprotected. Put @Idempotent on "
                  + describe(runs)
                  + ".");
        }
      }
    }
    for (Class<?> c = userClass.getSuperclass(); c != null && c != Object.class; ) {
      for (Method method : c.getDeclaredMethods()) {
        if (!method.isAnnotationPresent(Idempotent.class) || method.isBridge()) {
          continue;
        }
        Method runs = specific(method, userClass);
        if (runs != method && !runs.isAnnotationPresent(Idempotent.class)) {
          problems.add(
              "@Idempotent on "
                  + describe(method)
                  + " has no effect: it is overridden by "
                  + describe(runs)
                  + ", which is not annotated, and annotations are not inherited. Put @Idempotent"
                  + " on "
                  + describe(runs)
                  + ".");
        }
      }
      c = c.getSuperclass();
    }
    return problems;
  }

  private static void problem(Class<?> type, Method method, List<String> problems) {
    if (!method.isAnnotationPresent(Idempotent.class) || method.isBridge() || isWoven(method)) {
      return;
    }
    int modifiers = method.getModifiers();
    String reason;
    String fix;
    if (Modifier.isStatic(modifiers)) {
      reason = "it is static";
      fix = "make it an instance method of the bean";
    } else if (Modifier.isPrivate(modifiers)) {
      reason = "it is private";
      fix = "make it public and call it on the injected bean";
    } else if (Modifier.isFinal(modifiers)) {
      reason = "it is final, so the proxy subclass cannot override it";
      fix = "remove final";
    } else {
      return;
    }
    problems.add(
        "@Idempotent on "
            + describe(method)
            + " of bean class "
            + type.getName()
            + " has no effect: a Spring proxy cannot intercept it because "
            + reason
            + ", so calls would run unprotected. Either "
            + fix
            + ", or weave the class with idempotent-aspectj at compile time.");
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
