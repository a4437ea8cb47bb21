package dev.idempotent.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.idempotent.IdempotencyStoreException;
import dev.idempotent.store.Outcome;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.util.List;

/**
 * Encodes one method's outcomes for a store that serializes, and decodes them into the method's
 * generic return type. The encoded form is a JSON object: {@code {"v": value}} for a returned
 * value, {@code {"x": "exception class", "m": "message"}} for a recorded exception. An exception
 * class read from a record is instantiated only when it is one of the method's {@code
 * recordExceptions} types or a subtype of one: a record can never make the engine instantiate an
 * arbitrary class. Immutable and thread-safe.
 */
public final class OutcomeCodec {
  private final String where;
  private final String namespace;
  private final ObjectMapper mapper;
  private final ObjectWriter valueWriter;
  private final ObjectReader valueReader;
  private final List<Class<? extends Throwable>> recorded;

  /**
   * @param where the method or operation, for messages
   * @param namespace the namespace, for store errors
   * @param mapper the mapper
   * @param valueType the type a value decodes into (the content type of an Optional or a
   *     CompletionStage)
   * @param recorded the recorded exception types
   */
  public OutcomeCodec(
      String where,
      String namespace,
      ObjectMapper mapper,
      JavaType valueType,
      List<Class<? extends Throwable>> recorded) {
    this.where = where;
    this.namespace = namespace;
    this.mapper = mapper;
    this.valueWriter = mapper.writerFor(valueType);
    this.valueReader = mapper.readerFor(valueType);
    this.recorded = List.copyOf(recorded);
  }

  /** Encodes a returned value (the content of an Optional, or null). */
  public Outcome encodeValue(Object value) {
    try {
      ObjectNode node = mapper.createObjectNode();
      node.set("v", mapper.readTree(valueWriter.writeValueAsBytes(value)));
      return Outcome.encoded(mapper.writeValueAsBytes(node));
    } catch (IOException e) {
      throw new IdempotencyStoreException(
          "the result of "
              + where
              + " cannot be written as JSON for the store ("
              + e.getMessage()
              + "); return a type with JSON properties, or give the engine an ObjectMapper that"
              + " can write it.",
          e);
    }
  }

  /** Encodes a recorded exception as its class and message. */
  public Outcome encodeException(Throwable exception) {
    ObjectNode node = mapper.createObjectNode();
    node.put("x", exception.getClass().getName());
    node.put("m", exception.getMessage());
    try {
      return Outcome.encoded(mapper.writeValueAsBytes(node));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a tree of two strings always writes", e);
    }
  }

  /**
   * Decodes an encoded outcome: a returned value, or the recorded exception to throw.
   *
   * @return {@link Outcome#returned} or {@link Outcome#thrown}
   * @throws IdempotencyStoreException when the record does not decode into the method's types
   */
  public Outcome decode(Outcome encoded) {
    try {
      JsonNode root = mapper.readTree(encoded.bytes());
      if (root != null && root.has("v")) {
        return Outcome.returned(valueReader.readValue(mapper.treeAsTokens(root.get("v"))));
      }
      if (root != null && root.has("x")) {
        JsonNode message = root.get("m");
        return Outcome.thrown(
            instantiate(
                root.get("x").asText(),
                message == null || message.isNull() ? null : message.asText()));
      }
      throw undecodable("it holds neither a value nor an exception", null);
    } catch (IOException | RuntimeException e) {
      if (e instanceof IdempotencyStoreException) {
        throw (IdempotencyStoreException) e;
      }
      throw undecodable(e.getMessage(), e);
    }
  }

  private Throwable instantiate(String className, String message) {
    for (Class<? extends Throwable> type : recorded) {
      Class<?> found = type.getName().equals(className) ? type : load(className, type);
      if (found != null && type.isAssignableFrom(found)) {
        return construct(found.asSubclass(Throwable.class), message);
      }
    }
    throw undecodable(
        "it records exception " + className + ", which is not among recordExceptions " + names(),
        null);
  }

  private static Class<?> load(String className, Class<?> near) {
    try {
      return Class.forName(className, false, near.getClassLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      return null;
    }
  }

  private Throwable construct(Class<? extends Throwable> type, String message) {
    try {
      try {
        Constructor<? extends Throwable> withMessage = type.getConstructor(String.class);
        return withMessage.newInstance(message);
      } catch (NoSuchMethodException e) {
        return type.getConstructor().newInstance();
      }
    } catch (ReflectiveOperationException | RuntimeException e) {
      Throwable cause = e instanceof InvocationTargetException ? e.getCause() : e;
      throw undecodable(
          "recorded exception " + type.getName() + " has no public (String) or () constructor",
          cause);
    }
  }

  private String names() {
    StringBuilder sb = new StringBuilder("[");
    for (Class<?> type : recorded) {
      sb.append(sb.length() > 1 ? ", " : "").append(type.getName());
    }
    return sb.append(']').toString();
  }

  private IdempotencyStoreException undecodable(String why, Throwable cause) {
    return new IdempotencyStoreException(
        "the stored record of namespace '"
            + namespace
            + "' cannot be decoded for "
            + where
            + ": "
            + why
            + ". It is corrupt or was written by an incompatible version of the result type;"
            + " the body did not run. Delete the record, or wait for its ttl to end.",
        cause);
  }
}
