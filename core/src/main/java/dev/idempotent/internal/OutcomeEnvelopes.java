package dev.idempotent.internal;

import dev.idempotent.IdempotencyDefinitionException;
import dev.idempotent.codec.OutcomeCodec;
import dev.idempotent.codec.ValueCodec;
import dev.idempotent.rules.TypeRules;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.util.List;

/**
 * Builds the {@link OutcomeEnvelope} of a method or operation from the engine's codec, and checks
 * what a store that serializes outcomes can replay: the result type (through the codec) and the
 * recorded exception types (a public constructor taking a message, or none). For a store that keeps
 * objects every type is replayable and no envelope is needed. Immutable and thread-safe.
 */
final class OutcomeEnvelopes {
  private final boolean keepsObjects;
  private final OutcomeCodec codec;

  OutcomeEnvelopes(boolean keepsObjects, OutcomeCodec codec) {
    this.keepsObjects = keepsObjects;
    this.codec = codec;
  }

  /**
   * How outcomes are recorded in a store that serializes, or null for a store of objects.
   *
   * @throws IdempotencyDefinitionException when the codec cannot write and read back values of the
   *     type
   */
  OutcomeEnvelope envelope(
      Method method,
      String where,
      String namespace,
      Type valueType,
      List<Class<? extends Throwable>> recorded,
      ClassLoader loader) {
    String problem = ResultTypes.classResult(valueType);
    if (problem == null && !keepsObjects) {
      problem = ResultTypes.undecodable(valueType);
    }
    if (problem != null) {
      throw ResultTypes.resultTypeError(method, where, valueType, problem);
    }
    if (keepsObjects) {
      return null;
    }
    ValueCodec values;
    try {
      values = codec.forType(valueType);
    } catch (IllegalArgumentException e) {
      throw ResultTypes.resultTypeError(
          method,
          where,
          valueType,
          "the engine's codec ("
              + codec
              + ") cannot write and read back its values: "
              + e.getMessage());
    }
    return new OutcomeEnvelope(where, namespace, valueType.getTypeName(), values, recorded, loader);
  }

  /**
   * Refuses a recorded exception type of an operation that a serializing store could not throw
   * again.
   */
  void checkReplayable(String where, Class<? extends Throwable> type) {
    if (!replayable(type)) {
      throw new IdempotencyDefinitionException(where + ": " + notReplayable(type));
    }
  }

  static String notReplayable(Class<?> type) {
    return TypeRules.notReplayable(type.getName());
  }

  /** Whether a serializing store can throw the type again; a store of objects always can. */
  boolean replayable(Class<? extends Throwable> type) {
    if (keepsObjects) {
      return true;
    }
    if (Modifier.isAbstract(type.getModifiers()) || !Modifier.isPublic(type.getModifiers())) {
      return false;
    }
    for (Class<?>[] signature : new Class<?>[][] {{String.class}, {}}) {
      try {
        type.getConstructor(signature);
        return true;
      } catch (NoSuchMethodException e) {
        // try the next signature
      }
    }
    return false;
  }
}
