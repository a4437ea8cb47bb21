package dev.idempotent.internal;

import static dev.idempotent.rules.MethodDescriptions.definitionError;

import dev.idempotent.IdempotencyDefinitionException;
import dev.idempotent.rules.TypeRules;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The result-type rules of {@code @Idempotent} methods read from reflection: the {@link
 * ResultShape} of a return type, the type of the value a codec writes, and which types no store can
 * record and replay ({@link TypeRules} holds the lists shared with the annotation processor).
 * Stateless.
 */
final class ResultTypes {
  private static final String SUPPORTED_RETURNS =
      "supported are plain values, void, Optional<T>, CompletionStage<T> and CompletableFuture<T>";

  private ResultTypes() {}

  /**
   * How the method hands back its result.
   *
   * @throws IdempotencyDefinitionException when its return type cannot be recorded and replayed
   */
  static ResultShape shape(Method method) {
    Class<?> raw = method.getReturnType();
    if (raw == void.class || raw == Void.class) {
      return ResultShape.VOID;
    }
    if (raw == Optional.class) {
      return ResultShape.OPTIONAL;
    }
    if (raw == CompletionStage.class || raw == CompletableFuture.class) {
      return ResultShape.ASYNC;
    }
    if (CompletionStage.class.isAssignableFrom(raw)) {
      throw unsupportedReturn(method, raw);
    }
    for (Class<?> type : TypeRules.UNREPLAYABLE) {
      if (type.isAssignableFrom(raw)) {
        throw unsupportedReturn(method, raw);
      }
    }
    for (Class<?> c = raw; c != null; c = c.getSuperclass()) {
      if (TypeRules.UNREPLAYABLE_RETURN_TYPE_NAMES.contains(c.getName()) || implementsNamed(c)) {
        throw unsupportedReturn(method, raw);
      }
    }
    return ResultShape.VALUE;
  }

  private static boolean implementsNamed(Class<?> type) {
    for (Class<?> i : type.getInterfaces()) {
      if (TypeRules.UNREPLAYABLE_RETURN_TYPE_NAMES.contains(i.getName()) || implementsNamed(i)) {
        return true;
      }
    }
    return false;
  }

  private static IdempotencyDefinitionException unsupportedReturn(Method method, Class<?> raw) {
    return definitionError(
        method,
        "the return type "
            + raw.getName()
            + " cannot be recorded and replayed: it can be consumed only once or completes outside"
            + " the call; "
            + SUPPORTED_RETURNS
            + ".");
  }

  /** The type of the value a codec writes for a result of the method. */
  static Type valueType(Method method, ResultShape shape) {
    Type generic = method.getGenericReturnType();
    switch (shape) {
      case VOID:
        return Void.class;
      case OPTIONAL:
      case ASYNC:
        return generic instanceof ParameterizedType
            ? ((ParameterizedType) generic).getActualTypeArguments()[0]
            : Object.class;
      default:
        return generic;
    }
  }

  /** The definition error of a result type, for a method or (when method is null) an operation. */
  static IdempotencyDefinitionException resultTypeError(
      Method method, String where, Type valueType, String problem) {
    String message = TypeRules.resultTypeProblem(valueType.getTypeName(), problem);
    return method != null
        ? definitionError(method, message)
        : new IdempotencyDefinitionException(where + ": " + message);
  }

  /**
   * Why a result of this type is refused by every store, or null: a {@code Class} result would let
   * a stored record name a class to load.
   */
  static String classResult(Type type) {
    if (type == Class.class
        || type instanceof ParameterizedType
            && ((ParameterizedType) type).getRawType() == Class.class) {
      return TypeRules.CLASS_RESULT;
    }
    return null;
  }

  /** Why a value of this type cannot be decoded without type information, or null if it can. */
  static String undecodable(Type type) {
    if (type instanceof TypeVariable) {
      return "it is the type variable "
          + type.getTypeName()
          + ", unknown at run time; declare a concrete result type.";
    }
    if (type instanceof WildcardType) {
      Type[] upper = ((WildcardType) type).getUpperBounds();
      return upper.length == 1 ? undecodable(upper[0]) : null;
    }
    if (type instanceof GenericArrayType) {
      return undecodable(((GenericArrayType) type).getGenericComponentType());
    }
    if (classResult(type) != null) {
      return classResult(type);
    }
    if (type instanceof ParameterizedType) {
      for (Type argument : ((ParameterizedType) type).getActualTypeArguments()) {
        String problem = undecodable(argument);
        if (problem != null) {
          return problem;
        }
      }
      return undecodable(((ParameterizedType) type).getRawType());
    }
    if (type == Object.class) {
      return "Object says nothing of what to build; declare the concrete result type.";
    }
    return null;
  }
}
