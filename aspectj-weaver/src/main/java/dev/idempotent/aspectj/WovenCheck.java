package dev.idempotent.aspectj;

import dev.idempotent.Idempotent;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/** What {@link IdempotentAspect#verifyWoven} checks: each unprotected method, and why. */
final class WovenCheck {
  private WovenCheck() {}

  static void verify(Class<?>... classes) {
    Objects.requireNonNull(classes, "IdempotentAspect.verifyWoven: classes");
    Set<String> problems = new LinkedHashSet<>();
    for (Class<?> type : classes) {
      Objects.requireNonNull(type, "IdempotentAspect.verifyWoven: a class is null");
      for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
        unwoven(c, problems);
      }
      notInherited(type, problems);
    }
    if (problems.isEmpty()) {
      return;
    }
    throw new IllegalStateException(
        "IdempotentAspect.verifyWoven: "
            + problems.size()
            + (problems.size() == 1 ? " method is" : " methods are")
            + " not protected, so every duplicate call runs it again:\n  - "
            + String.join("\n  - ", problems));
  }

  /** {@code @Idempotent} methods with a body that the weaver did not mark. */
  private static void unwoven(Class<?> type, Set<String> problems) {
    for (Method method : type.getDeclaredMethods()) {
      if (method.isSynthetic()
          || Modifier.isAbstract(method.getModifiers())
          || !method.isAnnotationPresent(Idempotent.class)
          || method.isAnnotationPresent(WovenIdempotent.class)) {
        continue;
      }
      problems.add(
          describe(method)
              + " is not woven: its class was compiled by plain javac, or an incremental build"
              + " recompiled it with javac after ajc had woven it. Weave it at build time"
              + " (aspectj-maven-plugin with idempotent-aspectj as an <aspectLibrary> and"
              + " <forceAjcCompile>true</forceAjcCompile>), or at load time (-javaagent:"
              + "aspectjweaver.jar with idempotent-aspectj on the class path).");
    }
  }

  /**
   * Methods that implement or override an {@code @Idempotent} method of a supertype without the
   * annotation: the weaver sees only annotations on the method that runs.
   */
  private static void notInherited(Class<?> type, Set<String> problems) {
    if (type.isInterface() || Modifier.isAbstract(type.getModifiers())) {
      return;
    }
    for (Class<?> supertype : supertypes(type)) {
      for (Method declared : supertype.getDeclaredMethods()) {
        if (declared.isSynthetic()
            || Modifier.isStatic(declared.getModifiers())
            || Modifier.isPrivate(declared.getModifiers())
            || !declared.isAnnotationPresent(Idempotent.class)) {
          continue;
        }
        Method running = implementation(type, declared);
        if (running == null
            || running.equals(declared)
            || running.isAnnotationPresent(Idempotent.class)) {
          continue;
        }
        problems.add(
            describe(running)
                + (declared.getDeclaringClass().isInterface() ? " implements " : " overrides ")
                + describe(declared)
                + ", which is @Idempotent, but carries no @Idempotent itself: annotations are not"
                + " inherited, so its calls (also those through "
                + declared.getDeclaringClass().getSimpleName()
                + ") run unprotected. Put @Idempotent, with the same attributes, on "
                + describe(running)
                + (declared.getDeclaringClass().isInterface()
                    ? ", and remove it from the interface method."
                    : "."));
      }
    }
  }

  /** Every superclass and interface of {@code type}, nearest first. */
  private static List<Class<?>> supertypes(Class<?> type) {
    List<Class<?>> found = new ArrayList<>();
    Deque<Class<?>> pending = new ArrayDeque<>();
    pending.add(type);
    while (!pending.isEmpty()) {
      Class<?> next = pending.poll();
      if (next != type && !found.contains(next)) {
        found.add(next);
      }
      if (next.getSuperclass() != null && next.getSuperclass() != Object.class) {
        pending.add(next.getSuperclass());
      }
      pending.addAll(Arrays.asList(next.getInterfaces()));
    }
    return found;
  }

  /** The method that runs on {@code type} for {@code declared}: the nearest non-bridge override. */
  private static Method implementation(Class<?> type, Method declared) {
    for (Class<?> c = type; c != null; c = c.getSuperclass()) {
      boolean bridged = false;
      Method narrower = null;
      for (Method candidate : c.getDeclaredMethods()) {
        if (!candidate.getName().equals(declared.getName())
            || candidate.getParameterCount() != declared.getParameterCount()
            || Modifier.isStatic(candidate.getModifiers())
            || Modifier.isAbstract(candidate.getModifiers())) {
          continue;
        }
        if (Arrays.equals(candidate.getParameterTypes(), declared.getParameterTypes())) {
          if (!candidate.isBridge()) {
            return candidate;
          }
          bridged = true;
        } else if (!candidate.isBridge() && assignable(candidate, declared)) {
          narrower = candidate;
        }
      }
      // A bridge with the declared signature forwards to the override with narrower parameters.
      if (bridged && narrower != null) {
        return narrower;
      }
    }
    return null;
  }

  /** Whether {@code candidate} takes narrower parameters, as a generic override does. */
  private static boolean assignable(Method candidate, Method declared) {
    Class<?>[] narrow = candidate.getParameterTypes();
    Class<?>[] wide = declared.getParameterTypes();
    for (int i = 0; i < narrow.length; i++) {
      if (!wide[i].isAssignableFrom(narrow[i])) {
        return false;
      }
    }
    return true;
  }

  /** {@code com.example.Payments.charge(String, long)}. */
  static String describe(Method method) {
    return method.getDeclaringClass().getName()
        + "."
        + method.getName()
        + Arrays.stream(method.getParameterTypes())
            .map(Class::getSimpleName)
            .collect(Collectors.joining(", ", "(", ")"));
  }
}
