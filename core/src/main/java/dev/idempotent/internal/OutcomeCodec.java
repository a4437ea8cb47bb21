package dev.idempotent.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.idempotent.IdempotencyStoreException;
import dev.idempotent.store.Outcome;
import java.io.ByteArrayOutputStream;
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
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonGenerator generator = mapper.getFactory().createGenerator(out)) {
      generator.writeStartObject();
      generator.writeFieldName("v");
      valueWriter.writeValue(generator, value);
      generator.writeEndObject();
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
    return Outcome.encoded(out.toByteArray());
  }

  /** Encodes a recorded exception as its class and message. */
  public Outcome encodeException(Throwable exception) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(128);
    try (JsonGenerator generator = mapper.getFactory().createGenerator(out)) {
      generator.writeStartObject();
      generator.writeStringField("x", exception.getClass().getName());
      generator.writeStringField("m", exception.getMessage());
      generator.writeEndObject();
    } catch (IOException e) {
      throw new IllegalStateException("two strings always write", e);
    }
    return Outcome.encoded(out.toByteArray());
  }

  /**
   * Decodes an encoded outcome: a returned value, or the recorded exception to throw. The value is
   * read straight from the stream into its type, so numbers keep their scale and precision.
   *
   * @return {@link Outcome#returned} or {@link Outcome#thrown}
   * @throws IdempotencyStoreException when the record does not decode into the method's types
   */
  public Outcome decode(Outcome encoded) {
    try (JsonParser parser = mapper.getFactory().createParser(encoded.bytes())) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw undecodable("it is not a JSON object", null);
      }
      String field = parser.nextFieldName();
      if ("v".equals(field)) {
        parser.nextToken();
        Object value = valueReader.readValue(parser);
        expectEnd(parser);
        return Outcome.returned(value);
      }
      if ("x".equals(field)) {
        String className = parser.nextTextValue();
        String message = null;
        if ("m".equals(parser.nextFieldName())) {
          message = parser.nextTextValue();
        }
        if (className == null) {
          throw undecodable("its exception class is missing", null);
        }
        return Outcome.thrown(instantiate(className, message));
      }
      throw undecodable("it holds neither a value nor an exception", null);
    } catch (IOException | RuntimeException e) {
      if (e instanceof IdempotencyStoreException) {
        throw (IdempotencyStoreException) e;
      }
      throw undecodable(e.getMessage(), e);
    }
  }

  private void expectEnd(JsonParser parser) throws IOException {
    if (parser.nextToken() != JsonToken.END_OBJECT) {
      throw undecodable("it holds more than one value", null);
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
