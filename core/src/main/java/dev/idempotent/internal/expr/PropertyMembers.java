package dev.idempotent.internal.expr;

import java.lang.reflect.Field;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.HashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Finds the member that reads each property of a class. When several could, a record component's
 * accessor wins over a getter, and a getter wins over a public field of the same name, so that a
 * class's own accessor logic is respected. Methods inherited from {@code Object}, {@code Record}
 * and {@code Enum} ({@code getClass()}, {@code getDeclaringClass()}) are not properties.
 */
final class PropertyMembers {
  private PropertyMembers() {}

  /** The members by property name; a {@link Method} or a {@link Field}. */
  static SortedMap<String, Member> of(Class<?> type) {
    SortedMap<String, Member> members = new TreeMap<>();
    for (Field field : type.getFields()) {
      if (!Modifier.isStatic(field.getModifiers())) {
        members.put(field.getName(), field);
      }
    }
    Map<String, Method> getters = new HashMap<>();
    for (Method method : type.getMethods()) {
      String property = isGetter(method) ? PropertyNames.ofAccessor(method.getName()) : null;
      if (property != null) {
        getters.merge(property, method, PropertyMembers::preferred);
      }
    }
    members.putAll(getters);
    if (type.isRecord()) {
      for (RecordComponent component : type.getRecordComponents()) {
        members.put(component.getName(), component.getAccessor());
      }
    }
    return members;
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
