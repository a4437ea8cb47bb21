package dev.idempotent.rules.expr;

import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.MonthDay;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.Period;
import java.time.Year;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The {@link TypeModel} of {@code java.lang.reflect}: answers from a method's generic parameter
 * types, resolving type variables through {@link TypeResolver}. Types of the JDK itself ({@code
 * java.*} and {@code jdk.*} modules) are values or containers to this model, never beans, so their
 * getters are not properties. Stateless and thread-safe.
 */
final class ReflectionTypeModel implements TypeModel<Type> {
  private static final Set<Class<?>> INTEGERS =
      Set.of(
          byte.class,
          short.class,
          int.class,
          long.class,
          Byte.class,
          Short.class,
          Integer.class,
          Long.class,
          BigInteger.class);
  private static final Set<Class<?>> DECIMALS =
      Set.of(float.class, double.class, Float.class, Double.class, BigDecimal.class);
  private static final Set<Class<?>> TEMPORALS =
      Set.of(
          Instant.class,
          LocalDate.class,
          LocalTime.class,
          LocalDateTime.class,
          OffsetDateTime.class,
          OffsetTime.class,
          ZonedDateTime.class,
          Duration.class,
          Period.class,
          Year.class,
          YearMonth.class,
          MonthDay.class);

  /** The parameters of {@code method}, with generic types resolved against its class. */
  static List<ParameterView<Type>> parametersOf(Method method) {
    TypeResolver resolver = TypeResolver.of(method.getDeclaringClass());
    List<ParameterView<Type>> parameters = new ArrayList<>();
    for (Parameter parameter : method.getParameters()) {
      parameters.add(
          new ParameterView<>(
              parameter.isNamePresent() ? parameter.getName() : null,
              resolver.resolve(parameter.getParameterizedType())));
    }
    return parameters;
  }

  /**
   * The member that reads property {@code name} of {@code owner}, as {@link #properties} found it.
   *
   * @throws IllegalArgumentException when {@code owner} has no such property
   */
  Member member(Type owner, String name) {
    Member member = PropertyMembers.of(TypeResolver.erasure(owner)).get(name);
    if (member == null) {
      throw new IllegalArgumentException(displayName(owner) + " has no property " + name);
    }
    return member;
  }

  @Override
  public Kind kind(Type type) {
    Class<?> raw = TypeResolver.erasure(type);
    if (CharSequence.class.isAssignableFrom(raw)) {
      return Kind.STRING;
    }
    if (INTEGERS.contains(raw)) {
      return Kind.INTEGER;
    }
    if (DECIMALS.contains(raw)) {
      return Kind.DECIMAL;
    }
    if (raw == boolean.class || raw == Boolean.class) {
      return Kind.BOOLEAN;
    }
    if (raw == char.class || raw == Character.class) {
      return Kind.CHARACTER;
    }
    if (Enum.class.isAssignableFrom(raw)) {
      return Kind.ENUM;
    }
    if (raw == UUID.class) {
      return Kind.UUID;
    }
    if (TEMPORALS.contains(raw) || ZoneId.class.isAssignableFrom(raw)) {
      return Kind.TEMPORAL;
    }
    if (raw.isArray()) {
      return Kind.ARRAY;
    }
    if (List.class.isAssignableFrom(raw)) {
      return Kind.LIST;
    }
    if (Map.class.isAssignableFrom(raw)) {
      return Kind.MAP;
    }
    if (raw.isRecord()) {
      return Kind.RECORD;
    }
    return Kind.OTHER;
  }

  @Override
  public String displayName(Type type) {
    if (type instanceof Class<?> plain) {
      String simple = plain.getSimpleName();
      return simple.isEmpty() ? plain.getName() : simple;
    }
    if (type instanceof ParameterizedType parameterized) {
      StringJoiner joined =
          new StringJoiner(", ", displayName(parameterized.getRawType()) + "<", ">");
      for (Type argument : parameterized.getActualTypeArguments()) {
        joined.add(displayName(argument));
      }
      return joined.toString();
    }
    if (type instanceof GenericArrayType array) {
      return displayName(array.getGenericComponentType()) + "[]";
    }
    return type.getTypeName();
  }

  @Override
  public SortedMap<String, Type> properties(Type type) {
    if (!hasProperties(type)) {
      return Collections.emptySortedMap();
    }
    Class<?> raw = TypeResolver.erasure(type);
    TypeResolver resolver = TypeResolver.of(type);
    SortedMap<String, Type> properties = new TreeMap<>();
    PropertyMembers.of(raw)
        .forEach(
            (name, member) ->
                properties.put(name, resolver.resolve(PropertyMembers.declaredType(member))));
    return properties;
  }

  @Override
  public SortedMap<String, String> refusedProperties(Type type) {
    Class<?> raw = TypeResolver.erasure(type);
    if (!hasProperties(type)) {
      return Collections.emptySortedMap();
    }
    return PropertyMembers.find(raw).refused();
  }

  @Override
  public Map<String, Type> recordComponents(Type type) {
    Class<?> raw = TypeResolver.erasure(type);
    if (!raw.isRecord()) {
      return Map.of();
    }
    TypeResolver resolver = TypeResolver.of(type);
    Map<String, Type> components = new LinkedHashMap<>();
    for (RecordComponent component : raw.getRecordComponents()) {
      components.put(component.getName(), resolver.resolve(component.getGenericType()));
    }
    return components;
  }

  @Override
  public Type elementType(Type type) {
    if (type instanceof GenericArrayType array) {
      return array.getGenericComponentType();
    }
    Class<?> raw = TypeResolver.erasure(type);
    if (raw.isArray()) {
      return raw.getComponentType();
    }
    if (raw == List.class && type instanceof ParameterizedType list) {
      // Handed-out types are resolved already: no need to copy the element type, however deep.
      return list.getActualTypeArguments()[0];
    }
    if (List.class.isAssignableFrom(raw)) {
      return TypeResolver.of(type).resolve(List.class.getTypeParameters()[0]);
    }
    throw new IllegalArgumentException(displayName(type) + " is not a List or an array");
  }

  @Override
  public Type mapKeyType(Type type) {
    return mapTypeArgument(type, 0);
  }

  @Override
  public Type mapValueType(Type type) {
    return mapTypeArgument(type, 1);
  }

  private Type mapTypeArgument(Type type, int index) {
    Class<?> raw = TypeResolver.erasure(type);
    if (!Map.class.isAssignableFrom(raw)) {
      throw new IllegalArgumentException(displayName(type) + " is not a Map");
    }
    if (raw == Map.class && type instanceof ParameterizedType map) {
      return map.getActualTypeArguments()[index];
    }
    return TypeResolver.of(type).resolve(Map.class.getTypeParameters()[index]);
  }

  /** Whether values of {@code type} are beans: records, enums and classes outside the JDK. */
  private boolean hasProperties(Type type) {
    Kind kind = kind(type);
    Class<?> raw = TypeResolver.erasure(type);
    return (kind == Kind.RECORD || kind == Kind.ENUM || kind == Kind.OTHER)
        && !raw.isPrimitive()
        && !PropertyMembers.isJdk(raw);
  }
}
