package dev.idempotent.test;

import dev.idempotent.Idempotent;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Methods that override or implement an {@code @Idempotent} method without carrying the annotation
 * themselves: annotations on methods are not inherited, so neither the weaver nor a container sees
 * one on the method that actually runs. Stateless.
 */
final class UnannotatedOverrides {
  private UnannotatedOverrides() {}

  /** One sentence per such method of the concrete classes among {@code classes}. */
  static List<String> in(List<Class<?>> classes) {
    Set<Method> reported = new LinkedHashSet<>();
    List<String> problems = new ArrayList<>();
    for (Class<?> type : classes) {
      if (type.isInterface() || Modifier.isAbstract(type.getModifiers())) {
        continue;
      }
      for (Class<?> supertype : supertypes(type)) {
        for (Method annotated : supertype.getDeclaredMethods()) {
          if (!inheritable(annotated) || !annotated.isAnnotationPresent(Idempotent.class)) {
            continue;
          }
          Method running = implementation(type, supertype, annotated);
          if (running != null
              && !running.isAnnotationPresent(Idempotent.class)
              && reported.add(running)) {
            problems.add(
                IdempotentMethodsCheck.describe(running)
                    + ": it overrides @Idempotent "
                    + IdempotentMethodsCheck.describe(annotated)
                    + " without the annotation, which is not inherited, so its calls run"
                    + " unprotected; put @Idempotent on it");
          }
        }
      }
    }
    return problems;
  }

  private static boolean inheritable(Method method) {
    int modifiers = method.getModifiers();
    return !method.isSynthetic()
        && !method.isBridge()
        && !Modifier.isStatic(modifiers)
        && !Modifier.isPrivate(modifiers);
  }

  /** The method of {@code type}'s hierarchy below {@code owner} that overrides {@code method}. */
  private static Method implementation(Class<?> type, Class<?> owner, Method method) {
    for (Class<?> c = type; c != null && c != owner; c = c.getSuperclass()) {
      try {
        Method candidate = c.getDeclaredMethod(method.getName(), method.getParameterTypes());
        if (!candidate.isBridge() && !candidate.isSynthetic()) {
          return candidate;
        }
      } catch (NoSuchMethodException e) {
        // not declared here: look further up
      }
    }
    return null;
  }

  /** The superclasses of {@code type} (not itself) and every interface it implements. */
  private static List<Class<?>> supertypes(Class<?> type) {
    List<Class<?>> supertypes = new ArrayList<>();
    Deque<Class<?>> interfaces = new ArrayDeque<>(Arrays.asList(type.getInterfaces()));
    for (Class<?> c = type.getSuperclass(); c != null && c != Object.class; c = c.getSuperclass()) {
      supertypes.add(c);
      interfaces.addAll(Arrays.asList(c.getInterfaces()));
    }
    Set<Class<?>> seen = new LinkedHashSet<>();
    while (!interfaces.isEmpty()) {
      Class<?> i = interfaces.poll();
      if (seen.add(i)) {
        supertypes.add(i);
        interfaces.addAll(Arrays.asList(i.getInterfaces()));
      }
    }
    return supertypes;
  }
}
