package dev.idempotent.rules.expr;

import java.lang.reflect.GenericArrayType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.StringJoiner;

/**
 * Resolves generic types as seen from one type, the context: a member declared as {@code P} in
 * {@code Envelope<P>} has type {@code Order} when read from an {@code Envelope<Order>} or from a
 * {@code class OrderEnvelope extends Envelope<Order>}. Resolved types contain no type variables and
 * no wildcards: what the context leaves open stands for its upper bound, which is what a read can
 * rely on. Not thread-safe; used during compilation only.
 */
final class TypeResolver {
  private final Map<TypeVariable<?>, Type> bindings = new HashMap<>();
  private final Set<Class<?>> visited = new HashSet<>();

  private TypeResolver() {}

  /** A resolver for the type variables that {@code context} and its supertypes bind. */
  static TypeResolver of(Type context) {
    TypeResolver resolver = new TypeResolver();
    resolver.bind(context);
    return resolver;
  }

  /** {@code type} with every type variable and wildcard replaced. */
  Type resolve(Type type) {
    if (type instanceof Class<?>) {
      return type;
    }
    if (type instanceof TypeVariable<?> variable) {
      Type bound = bindings.get(variable);
      return bound != null ? bound : erasure(variable);
    }
    if (type instanceof ParameterizedType parameterized) {
      Type[] arguments = parameterized.getActualTypeArguments().clone();
      for (int i = 0; i < arguments.length; i++) {
        arguments[i] = resolve(arguments[i]);
      }
      Type owner = parameterized.getOwnerType();
      return new Parameterized(
          (Class<?>) parameterized.getRawType(), arguments, owner == null ? null : resolve(owner));
    }
    if (type instanceof GenericArrayType array) {
      Type component = resolve(array.getGenericComponentType());
      return component instanceof Class<?> plain ? plain.arrayType() : new GenericArray(component);
    }
    if (type instanceof WildcardType wildcard) {
      // "? super X" promises nothing about what is read, so only Object can be relied on.
      return wildcard.getLowerBounds().length > 0
          ? Object.class
          : resolve(wildcard.getUpperBounds()[0]);
    }
    throw new IllegalArgumentException("unsupported type " + type);
  }

  /** The class a value of {@code type} is an instance of at run time. */
  static Class<?> erasure(Type type) {
    if (type instanceof Class<?> plain) {
      return plain;
    }
    if (type instanceof ParameterizedType parameterized) {
      return (Class<?>) parameterized.getRawType();
    }
    if (type instanceof GenericArrayType array) {
      return erasure(array.getGenericComponentType()).arrayType();
    }
    if (type instanceof TypeVariable<?> variable) {
      return erasure(variable.getBounds()[0]);
    }
    if (type instanceof WildcardType wildcard) {
      return erasure(wildcard.getUpperBounds()[0]);
    }
    throw new IllegalArgumentException("unsupported type " + type);
  }

  private void bind(Type type) {
    if (type instanceof ParameterizedType parameterized) {
      Class<?> raw = (Class<?>) parameterized.getRawType();
      TypeVariable<?>[] variables = raw.getTypeParameters();
      Type[] arguments = parameterized.getActualTypeArguments();
      for (int i = 0; i < variables.length; i++) {
        // Arguments may name variables of a subtype, which are bound by now.
        bindings.putIfAbsent(variables[i], resolve(arguments[i]));
      }
      if (parameterized.getOwnerType() instanceof ParameterizedType owner) {
        bind(owner);
      }
      bindSupertypes(raw);
    } else if (type instanceof Class<?> plain) {
      bindSupertypes(plain);
    }
  }

  private void bindSupertypes(Class<?> type) {
    if (!visited.add(type)) {
      return;
    }
    Type superclass = type.getGenericSuperclass();
    if (superclass != null) {
      bind(superclass);
    }
    for (Type implemented : type.getGenericInterfaces()) {
      bind(implemented);
    }
  }

  /** A parameterized type with resolved arguments; equal to the JDK's for the same type. */
  private static final class Parameterized implements ParameterizedType {
    private final Class<?> raw;
    private final Type[] arguments;
    private final Type owner;

    Parameterized(Class<?> raw, Type[] arguments, Type owner) {
      this.raw = raw;
      this.arguments = arguments;
      this.owner = owner;
    }

    @Override
    public Type[] getActualTypeArguments() {
      return arguments.clone();
    }

    @Override
    public Type getRawType() {
      return raw;
    }

    @Override
    public Type getOwnerType() {
      return owner;
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof ParameterizedType that
          && raw.equals(that.getRawType())
          && Objects.equals(owner, that.getOwnerType())
          && Arrays.equals(arguments, that.getActualTypeArguments());
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(arguments) ^ Objects.hashCode(owner) ^ raw.hashCode();
    }

    @Override
    public String toString() {
      StringJoiner joined = new StringJoiner(", ", raw.getName() + "<", ">");
      for (Type argument : arguments) {
        joined.add(argument.getTypeName());
      }
      return joined.toString();
    }
  }

  /** An array of a parameterized type, such as {@code List<String>[]}. */
  private static final class GenericArray implements GenericArrayType {
    private final Type component;

    GenericArray(Type component) {
      this.component = component;
    }

    @Override
    public Type getGenericComponentType() {
      return component;
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof GenericArrayType that
          && component.equals(that.getGenericComponentType());
    }

    @Override
    public int hashCode() {
      return component.hashCode();
    }

    @Override
    public String toString() {
      return component.getTypeName() + "[]";
    }
  }
}
