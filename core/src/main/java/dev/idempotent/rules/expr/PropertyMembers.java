package dev.idempotent.rules.expr;

import java.lang.reflect.Field;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Finds the member that reads each property of a class. When several could, a record component's
 * accessor wins over a getter, and a getter wins over a public field of the same name, so that a
 * class's own accessor logic is respected. Methods inherited from {@code Object}, {@code Record}
 * and {@code Enum} ({@code getClass()}, {@code getDeclaringClass()}) are not properties, and a
 * getter that a JDK type declares (or that the class overrides from one) is a property only when
 * {@link JdkAccessors} allows it: the others are listed apart, so that a key that names one is told
 * why it may not.
 */
final class PropertyMembers {
  private PropertyMembers() {}

  /**
   * The properties of a class.
   *
   * @param members the member that reads each property, by name; a {@link Method} or a {@link
   *     Field}
   * @param refused the JDK getters that would have read a property that has no member, by property
   *     name, as {@link JdkAccessors#describe} names them
   */
  record Found(SortedMap<String, Member> members, SortedMap<String, String> refused) {}

  /** The members by property name; a {@link Method} or a {@link Field}. */
  static SortedMap<String, Member> of(Class<?> type) {
    return find(type).members();
  }

  /** The members by property name, and the getters a key may not call. */
  static Found find(Class<?> type) {
    SortedMap<String, Member> members = new TreeMap<>();
    for (Field field : type.getFields()) {
      if (!Modifier.isStatic(field.getModifiers())) {
        members.put(field.getName(), field);
      }
    }
    Map<String, String> jdkOrigins = jdkGetterOrigins(type);
    Map<String, Method> getters = new HashMap<>();
    SortedMap<String, String> refused = new TreeMap<>();
    for (Method method : type.getMethods()) {
      String property = isGetter(method) ? PropertyNames.ofAccessor(method.getName()) : null;
      if (property == null) {
        continue;
      }
      String origin = jdkOrigins.get(method.getName());
      if (origin != null) {
        refused.merge(
            property, JdkAccessors.describe(method.getName(), origin), PropertyMembers::first);
      } else {
        getters.merge(property, method, PropertyMembers::preferred);
      }
    }
    members.putAll(getters);
    if (type.isRecord()) {
      for (RecordComponent component : type.getRecordComponents()) {
        members.put(component.getName(), component.getAccessor());
      }
    }
    refused.keySet().removeAll(members.keySet());
    return new Found(members, refused);
  }

  /**
   * The getter names that a JDK supertype of {@code type} declares and {@link JdkAccessors} does
   * not allow, each with the first such supertype by name: whether the class inherits the method or
   * overrides it, calling it runs the JDK's contract, which may write.
   */
  private static Map<String, String> jdkGetterOrigins(Class<?> type) {
    Map<String, String> origins = new HashMap<>();
    Deque<Class<?>> pending = new ArrayDeque<>();
    Set<Class<?>> seen = new HashSet<>();
    pending.add(type);
    while (!pending.isEmpty()) {
      Class<?> current = pending.poll();
      if (!seen.add(current)) {
        continue;
      }
      if (current != type && isJdk(current)) {
        for (Method method : current.getDeclaredMethods()) {
          String name = method.getName();
          if (Modifier.isPublic(method.getModifiers())
              && !Modifier.isStatic(method.getModifiers())
              && method.getParameterCount() == 0
              && PropertyNames.ofAccessor(name) != null
              && !JdkAccessors.allowed(current.getName(), name)) {
            origins.merge(name, current.getName(), PropertyMembers::first);
          }
        }
      }
      if (current.getSuperclass() != null) {
        pending.add(current.getSuperclass());
      }
      pending.addAll(Arrays.asList(current.getInterfaces()));
    }
    return origins;
  }

  private static String first(String a, String b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  /** Whether {@code type} belongs to a module of the JDK. */
  static boolean isJdk(Class<?> type) {
    Module module = type.getModule();
    return module.isNamed() && JdkAccessors.isJdkModule(module.getName());
  }

  /** The type a property's member declares, before type variables are resolved. */
  static Type declaredType(Member member) {
    return member instanceof Method method
        ? method.getGenericReturnType()
        : ((Field) member).getGenericType();
  }

  /** How a member is named in messages: {@code getTotal()} or {@code field total}. */
  static String describe(Member member) {
    return member instanceof Method ? member.getName() + "()" : "field " + member.getName();
  }

  private static boolean isGetter(Method method) {
    Class<?> declaring = method.getDeclaringClass();
    Class<?> returns = method.getReturnType();
    if (Modifier.isStatic(method.getModifiers())
        || method.getParameterCount() != 0
        || returns == void.class
        || method.isBridge()
        || method.isSynthetic()
        || declaring == Object.class
        || declaring == Record.class
        || declaring == Enum.class) {
      return false;
    }
    return !PropertyNames.isBooleanAccessor(method.getName())
        || returns == boolean.class
        || returns == Boolean.class;
  }

  /**
   * Of two getters for one property, the one with the more specific return type (an override that
   * narrows it), then {@code isX()} over {@code getX()} as JavaBeans does, then a fixed order so
   * that the choice does not depend on the order {@code getMethods()} happens to list them in.
   */
  private static Method preferred(Method first, Method second) {
    Class<?> firstReturns = first.getReturnType();
    Class<?> secondReturns = second.getReturnType();
    if (firstReturns != secondReturns) {
      if (firstReturns.isAssignableFrom(secondReturns)) {
        return second;
      }
      if (secondReturns.isAssignableFrom(firstReturns)) {
        return first;
      }
    }
    boolean firstIs = PropertyNames.isBooleanAccessor(first.getName());
    if (firstIs != PropertyNames.isBooleanAccessor(second.getName())) {
      return firstIs ? first : second;
    }
    String firstKey = first.getDeclaringClass().getName() + firstReturns.getName();
    String secondKey = second.getDeclaringClass().getName() + secondReturns.getName();
    return firstKey.compareTo(secondKey) <= 0 ? first : second;
  }
}
