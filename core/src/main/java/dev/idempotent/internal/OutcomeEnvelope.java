package dev.idempotent.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.idempotent.IdempotencyOutcomeNotRecordedException;
import dev.idempotent.IdempotencyStoreException;
import dev.idempotent.codec.ValueCodec;
import dev.idempotent.store.Outcome;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The record format of one method's outcomes for a store that serializes, around the values its
 * {@link ValueCodec} writes: {@code {"v": value}} for a returned value, {@code {"x": "exception
 * class", "m": "message"}} for a recorded exception, and {@code {"u": "result class"}} for a result
 * the codec could not write. The format is the engine's, the same for every codec, and unchanged
 * since the first release, so records written by earlier versions still decode.
 *
 * <p>An exception class read from a record is loaded, without initialising it, through the class
 * loader of the method's declaring class, and instantiated only when it is one of the method's
 * {@code recordExceptions} types or a subtype of one: a record can never make the engine
 * instantiate or initialise an arbitrary class. Immutable and thread-safe.
 */
public final class OutcomeEnvelope {
  private static final JsonFactory JSON = new JsonFactory();
  private static final byte[] VALUE_START = "{\"v\":".getBytes(StandardCharsets.US_ASCII);

  private final String where;
  private final String namespace;
  private final String valueTypeName;
  private final ValueCodec values;
  private final List<Class<? extends Throwable>> recorded;
  private final ClassLoader loader;

  /**
   * @param where the method or operation, for messages
   * @param namespace the namespace, for store errors
   * @param valueTypeName the declared type of values, for messages
   * @param values the codec of values
   * @param recorded the recorded exception types
   * @param loader the class loader that recorded exception classes are loaded through: the one of
   *     the method's declaring class; may be null for the bootstrap loader
   */
  OutcomeEnvelope(
      String where,
      String namespace,
      String valueTypeName,
      ValueCodec values,
      List<Class<? extends Throwable>> recorded,
      ClassLoader loader) {
    this.where = where;
    this.namespace = namespace;
    this.valueTypeName = valueTypeName;
    this.values = values;
    this.recorded = List.copyOf(recorded);
    this.loader = loader;
  }

  /**
   * Encodes a returned value (the content of an Optional, or null).
   *
   * @throws Exception whatever the codec threw: the value cannot be recorded
   */
  Outcome encodeValue(Object value) throws Exception {
    byte[] json = values.write(value);
    if (json == null || json.length == 0) {
      throw new IOException("the codec wrote no JSON for the value");
    }
    byte[] record = Arrays.copyOf(VALUE_START, VALUE_START.length + json.length + 1);
    System.arraycopy(json, 0, record, VALUE_START.length, json.length);
    record[record.length - 1] = '}';
    return Outcome.encoded(record);
  }

  /** Encodes a recorded exception as its class and message. */
  Outcome encodeException(Throwable exception) {
    return encodeStrings("x", exception.getClass().getName(), "m", exception.getMessage());
  }

  /**
   * The record of a result that could not be recorded: the class of the result, so that a duplicate
   * can say what was lost without carrying any of its data.
   */
  Outcome encodeUnrecordable(Object result) {
    String type = result == null ? valueTypeName : result.getClass().getName();
    return encodeStrings("u", type, null, null);
  }

  private static Outcome encodeStrings(String field, String value, String field2, String value2) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(128);
    try (JsonGenerator generator = JSON.createGenerator(out)) {
      generator.writeStartObject();
      generator.writeStringField(field, value);
      if (field2 != null) {
        generator.writeStringField(field2, value2);
      }
      generator.writeEndObject();
    } catch (IOException e) {
      throw new IllegalStateException("strings always write", e);
    }
    return Outcome.encoded(out.toByteArray());
  }

  /**
   * Decodes an encoded outcome: a returned value, or the recorded exception to throw.
   *
   * @return {@link Outcome#returned} or {@link Outcome#thrown}
   * @throws IdempotencyStoreException when the record does not decode exactly into the method's
   *     types
   * @throws IdempotencyOutcomeNotRecordedException when the record marks a result that could not be
   *     recorded
   */
  Outcome decode(Outcome encoded) {
    byte[] bytes = encoded.bytes();
    try (JsonParser parser = JSON.createParser(bytes)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw undecodable("it is not a JSON object");
      }
      String field = parser.nextFieldName();
      if ("v".equals(field)) {
        return Outcome.returned(readValue(parser, bytes));
      }
      if ("x".equals(field)) {
        return Outcome.thrown(readException(parser));
      }
      if ("u".equals(field)) {
        String type = parser.nextTextValue();
        expectEnd(parser);
        throw notRecorded(type);
      }
      throw undecodable("it holds neither a value nor an exception");
    } catch (IOException e) {
      throw undecodable("it is not well-formed JSON (" + e.getClass().getSimpleName() + ")");
    }
  }

  /** Hands the bytes of the value, exactly as they are stored, to the codec. */
  private Object readValue(JsonParser parser, byte[] bytes) throws IOException {
    parser.nextToken();
    long start = parser.currentTokenLocation().getByteOffset();
    parser.skipChildren();
    parser.finishToken();
    long end = parser.currentLocation().getByteOffset();
    expectEnd(parser);
    Object value;
    try {
      value = values.read(Arrays.copyOfRange(bytes, (int) start, (int) end));
    } catch (Exception e) {
      throw undecodable(
          "its value does not decode exactly into "
              + valueTypeName
              + " ("
              + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())
              + ")");
    }
    return value;
  }

  private Throwable readException(JsonParser parser) throws IOException {
    String className = parser.nextTextValue();
    String message = null;
    if (className == null) {
      throw undecodable("its exception class is missing");
    }
    JsonToken next = parser.nextToken();
    if (next == JsonToken.FIELD_NAME && "m".equals(parser.currentName())) {
      next = parser.nextToken();
      if (next != JsonToken.VALUE_STRING && next != JsonToken.VALUE_NULL) {
        throw undecodable("its exception message is not text");
      }
      message = parser.getValueAsString();
      next = parser.nextToken();
    }
    if (next != JsonToken.END_OBJECT || parser.nextToken() != null) {
      throw undecodable("it holds more than an exception class and message");
    }
    return instantiate(className, message);
  }

  private void expectEnd(JsonParser parser) throws IOException {
    if (parser.nextToken() != JsonToken.END_OBJECT || parser.nextToken() != null) {
      throw undecodable("it holds more than one value");
    }
  }

  private Throwable instantiate(String className, String message) {
    Class<?> found = null;
    for (Class<? extends Throwable> type : recorded) {
      if (found == null) {
        found = type.getName().equals(className) ? type : load(className);
      }
      if (found != null && type.isAssignableFrom(found)) {
        return construct(found.asSubclass(Throwable.class), message);
      }
    }
    throw undecodable(
        "it records exception "
            + className
            + ", which is not among recordExceptions "
            + names()
            + " or a subtype of one loaded by "
            + loader);
  }

  /** Loads a class without initialising it; null when there is no such class. */
  private Class<?> load(String className) {
    try {
      return Class.forName(className, false, loader);
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
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      Throwable cause = e instanceof InvocationTargetException ? e.getCause() : e;
      throw new IdempotencyStoreException(
          message(
              "recorded exception "
                  + type.getName()
                  + " cannot be built again: it has no public (String) or () constructor, or the"
                  + " constructor threw"),
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

  private IdempotencyOutcomeNotRecordedException notRecorded(String type) {
    return new IdempotencyOutcomeNotRecordedException(
        where
            + ": the first call with this key of namespace '"
            + namespace
            + "' ran, but its result ("
            + type
            + ") could not be recorded by the engine's codec, so there is no outcome to replay; the"
            + " body did not run again and will not for this key until the record's ttl ends."
            + " Make the result type one the codec can write (the first call logged why at"
            + " ERROR).");
  }

  private IdempotencyStoreException undecodable(String why) {
    return new IdempotencyStoreException(message(why));
  }

  private String message(String why) {
    return "the stored record of namespace '"
        + namespace
        + "' cannot be decoded for "
        + where
        + ": "
        + why
        + ". It was written for another version of the result type, or is corrupt; the body did"
        + " not run. Deploy a changed result type under a new namespace (see the README), or"
        + " delete the record or wait for its ttl to end.";
  }
}
