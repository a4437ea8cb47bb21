package dev.idempotent.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationConfig;
import com.fasterxml.jackson.databind.exc.InvalidDefinitionException;
import com.fasterxml.jackson.databind.introspect.AnnotatedMethod;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import dev.idempotent.IdempotencyDefinitionException;
import dev.idempotent.IdempotencyKeyException;
import java.lang.annotation.Annotation;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * The SHA-256 of the canonical JSON of a method's arguments (those not marked {@code
 * ExcludeFromFingerprint}), in hex: equal for equal arguments in every JVM and after restarts.
 * Immutable and thread-safe.
 *
 * <p>When every fingerprinted parameter is a plain value (a String, a number, a boolean, a UUID, an
 * enum, or a record made only of these, with no Jackson annotations), the JSON is written directly,
 * byte for byte as the canonical Jackson writer writes it (property order and names from Jackson's
 * own introspection, Jackson's escapes and number forms), without a generator or serializers. Any
 * other parameter, and any value the direct writer cannot write exactly (a string with a lone
 * surrogate, an accessor that throws), goes through the canonical writer as before.
 *
 * <p>A fingerprint made for a store that keeps objects in this JVM (see {@code
 * IdempotencyStore.keepsObjects}) is compared only within this JVM, so when the JSON is short it is
 * the JSON itself rather than its hash: equal exactly when the JSON is equal, like the hash, but
 * without hashing on every duplicate. JSON starts with {@code [} and a hash never does, so the two
 * forms never match each other.
 */
public final class ArgumentFingerprint {
  /** The longest JSON kept as it is by a fingerprint for a store that keeps objects. */
  static final int RAW_LIMIT = 128;

  private final String where;
  private final int[] included;
  private final String[] names;
  private final ObjectWriter writer;
  private final boolean raw;
  // One writer per included parameter when all are plain values, otherwise null.
  private final PlainValue[] plain;

  /**
   * A fingerprint that is always the hash, for any store; parameters go through the writer.
   *
   * @param where the method, for messages
   * @param included the positions of the arguments to include
   * @param names every parameter's name (or {@code p<n>}), for messages
   * @param writer a writer of the canonical mapper
   */
  public ArgumentFingerprint(String where, int[] included, String[] names, ObjectWriter writer) {
    this(where, included, names, null, writer, false);
  }

  /**
   * @param where the method, for messages
   * @param included the positions of the arguments to include
   * @param names every parameter's name (or {@code p<n>}), for messages
   * @param types every parameter's declared type, to write plain values directly; or null
   * @param writer a writer of the canonical mapper
   * @param raw whether a short JSON is the fingerprint itself (only for a store that keeps objects,
   *     whose fingerprints never leave this JVM)
   */
  public ArgumentFingerprint(
      String where,
      int[] included,
      String[] names,
      Class<?>[] types,
      ObjectWriter writer,
      boolean raw) {
    this.where = where;
    this.included = included.clone();
    this.names = names.clone();
    this.writer = writer;
    this.raw = raw;
    this.plain = types == null ? null : PlainValue.forParameters(writer, types, this.included);
  }

  /**
   * The fingerprint of {@code args}.
   *
   * @throws IdempotencyDefinitionException when an argument cannot be written as JSON (naming the
   *     parameter and how to leave it out)
   */
  public String of(Object[] args) {
    if (plain != null) {
      JsonBytes out = JsonBytes.borrow();
      try {
        if (writePlain(out, args)) {
          return raw && out.length() <= RAW_LIMIT ? out.latin1() : out.sha256Hex();
        }
      } finally {
        out.giveBack();
      }
    }
    return fingerprint(writeThroughJackson(args), raw);
  }

  private static String fingerprint(byte[] json, boolean raw) {
    if (raw && json.length <= RAW_LIMIT) {
      return new String(json, StandardCharsets.ISO_8859_1);
    }
    return Sha256.hex(json);
  }

  /** The canonical JSON of the included arguments. */
  byte[] json(Object[] args) {
    if (plain != null) {
      JsonBytes out = JsonBytes.borrow();
      try {
        if (writePlain(out, args)) {
          return out.toByteArray();
        }
      } finally {
        out.giveBack();
      }
    }
    return writeThroughJackson(args);
  }

  /** Whether the arguments are written without Jackson's serializers. */
  boolean writesPlainValues() {
    return plain != null;
  }

  /** Writes the JSON directly; false when the direct writer cannot write these values. */
  private boolean writePlain(JsonBytes out, Object[] args) {
    try {
      out.append('[');
      for (int i = 0; i < included.length; i++) {
        if (i > 0) {
          out.append(',');
        }
        plain[i].write(out, args[included[i]]);
      }
      out.append(']');
    } catch (Error e) {
      throw e;
    } catch (Throwable e) {
      // A record accessor that throws, or a lone surrogate: Jackson handles it as it always did.
      return false;
    }
    return true;
  }

  private byte[] writeThroughJackson(Object[] args) {
    Object[] selected = new Object[included.length];
    for (int i = 0; i < included.length; i++) {
      selected[i] = args[included[i]];
    }
    try {
      return writer.writeValueAsBytes(selected);
    } catch (JsonProcessingException e) {
      throw failure(args, e);
    }
  }

  private RuntimeException failure(Object[] args, JsonProcessingException cause) {
    for (int position : included) {
      Object arg = args[position];
      try {
        writer.writeValueAsBytes(arg);
      } catch (JsonProcessingException e) {
        String type = arg == null ? "null" : arg.getClass().getName();
        if (e instanceof InvalidDefinitionException) {
          return new IdempotencyDefinitionException(
              parameter(position)
                  + " of type "
                  + type
                  + " cannot be written as JSON for the argument fingerprint ("
                  + e.getOriginalMessage()
                  + "). Mark the parameter @ExcludeFromFingerprint, or set validatePayload ="
                  + " false and give a keyExpr.",
              e);
        }
        return new IdempotencyKeyException(
            parameter(position)
                + " failed while being written as JSON for the argument fingerprint: "
                + e.getOriginalMessage()
                + "; the body did not run.",
            e);
      }
    }
    return new IdempotencyKeyException(
        "@Idempotent on "
            + where
            + ": the arguments could not be written as JSON for their fingerprint: "
            + cause.getOriginalMessage()
            + "; the body did not run.",
        cause);
  }

  private String parameter(int position) {
    return "@Idempotent on " + where + ": parameter '" + names[position] + "' (#p" + position + ")";
  }

  /**
   * Writes one plain value with the generator calls that Jackson's own serializer for its type
   * makes, so the bytes are the same. Built once per parameter type; thread-safe.
   */
  abstract static class PlainValue {

    /** Writes {@code value}, which may be null. */
    final void write(JsonBytes out, Object value) throws Throwable {
      if (value == null) {
        out.ascii("null");
      } else {
        writeValue(out, value);
      }
    }

    abstract void writeValue(JsonBytes out, Object value) throws Throwable;

    /** Writers for the included parameters, or null when any of them is not a plain value. */
    static PlainValue[] forParameters(ObjectWriter writer, Class<?>[] types, int[] included) {
      PlainValue[] values = new PlainValue[included.length];
      for (int i = 0; i < included.length; i++) {
        values[i] = of(writer.getConfig(), types[included[i]], new HashSet<>());
        if (values[i] == null) {
          return null;
        }
      }
      return values;
    }

    /** The writer for values of {@code type}, or null when it is not a plain value type. */
    static PlainValue of(SerializationConfig config, Class<?> type, Set<Class<?>> enclosing) {
      if (type == String.class) {
        return STRING;
      }
      if (type == int.class
          || type == Integer.class
          || type == short.class
          || type == Short.class
          || type == byte.class
          || type == Byte.class) {
        return INT;
      }
      if (type == long.class || type == Long.class) {
        return LONG;
      }
      if (type == double.class || type == Double.class) {
        return DOUBLE;
      }
      if (type == float.class || type == Float.class) {
        return FLOAT;
      }
      if (type == boolean.class || type == Boolean.class) {
        return BOOLEAN;
      }
      if (type == BigDecimal.class) {
        return BIG_DECIMAL;
      }
      if (type == BigInteger.class) {
        return BIG_INTEGER;
      }
      if (type == UUID.class) {
        return TO_STRING;
      }
      if (type.isEnum()) {
        return plainEnum(type) ? ENUM_NAME : null;
      }
      if (type.isRecord() && enclosing.add(type)) {
        PlainValue record = RecordValue.of(config, type, enclosing);
        enclosing.remove(type);
        return record;
      }
      return null;
    }

    private static boolean plainEnum(Class<?> type) {
      if (readByJackson(type)) {
        return false;
      }
      for (Field field : type.getDeclaredFields()) {
        if (readByJackson(field)) {
          return false;
        }
      }
      for (Method method : type.getDeclaredMethods()) {
        if (readByJackson(method)) {
          return false;
        }
      }
      return true;
    }

    /** Whether the element carries an annotation that Jackson may act on. */
    static boolean readByJackson(AnnotatedElement element) {
      for (Annotation annotation : element.getAnnotations()) {
        Class<? extends Annotation> type = annotation.annotationType();
        String name = type.getName();
        if (name.startsWith("com.fasterxml.jackson.")
            || name.startsWith("java.beans.")
            || type.isAnnotationPresent(
                com.fasterxml.jackson.annotation.JacksonAnnotationsInside.class)) {
          return true;
        }
      }
      return false;
    }

    private static final PlainValue STRING =
        new PlainValue() {
          @Override
          void writeValue(JsonBytes out, Object value) {
            out.string((String) value);
          }
        };

    private static final PlainValue INT =
        new PlainValue() {
          @Override
          void writeValue(JsonBytes out, Object value) {
            out.integer(((Number) value).intValue());
          }
        };

    private static final PlainValue LONG =
        new PlainValue() {
          @Override
          void writeValue(JsonBytes out, Object value) {
            out.integer((Long) value);
          }
        };

    private static final PlainValue DOUBLE =
        new PlainValue() {
          @Override
          void writeValue(JsonBytes out, Object value) {
            double d = (Double) value;
            if (Double.isFinite(d)) {
              out.ascii(Double.toString(d));
            } else {
              out.string(Double.toString(d));
            }
          }
        };

    private static final PlainValue FLOAT =
        new PlainValue() {
          @Override
          void writeValue(JsonBytes out, Object value) {
            float f = (Float) value;
            if (Float.isFinite(f)) {
              out.ascii(Float.toString(f));
            } else {
              out.string(Float.toString(f));
            }
          }
        };

    private static final PlainValue BOOLEAN =
        new PlainValue() {
          @Override
          void writeValue(JsonBytes out, Object value) {
            out.ascii((Boolean) value ? "true" : "false");
          }
        };

    private static final PlainValue BIG_DECIMAL =
        new PlainValue() {
          @Override
          void writeValue(JsonBytes out, Object value) {
            out.ascii(value.toString());
          }
        };

    private static final PlainValue BIG_INTEGER =
        new PlainValue() {
          @Override
          void writeValue(JsonBytes out, Object value) {
            out.ascii(value.toString());
          }
        };

    private static final PlainValue TO_STRING =
        new PlainValue() {
          @Override
          void writeValue(JsonBytes out, Object value) {
            out.string(value.toString());
          }
        };

    private static final PlainValue ENUM_NAME =
        new PlainValue() {
          @Override
          void writeValue(JsonBytes out, Object value) {
            out.string(((Enum<?>) value).name());
          }
        };

    /**
     * A record made of plain values: an object of its properties in the order and under the names
     * that Jackson's own introspection gives them.
     */
    static final class RecordValue extends PlainValue {
      // Each property's name as JSON, with the separators before its value: {"id": or ,"sku":
      private final byte[][] prefixes;
      private final Function<Object, Object>[] readers;
      private final PlainValue[] values;

      private RecordValue(String[] names, Function<Object, Object>[] readers, PlainValue[] values) {
        this.prefixes = new byte[names.length][];
        for (int i = 0; i < names.length; i++) {
          JsonBytes prefix = new JsonBytes();
          prefix.append(i == 0 ? '{' : ',');
          prefix.string(names[i]);
          prefix.append(':');
          prefixes[i] = prefix.toByteArray();
        }
        this.readers = readers;
        this.values = values;
      }

      static PlainValue of(SerializationConfig config, Class<?> type, Set<Class<?>> enclosing) {
        if (!Modifier.isPublic(type.getModifiers()) || annotated(type)) {
          return null;
        }
        BeanDescription description = config.introspect(config.constructType(type));
        if (description.findJsonValueAccessor() != null
            || description.findAnyGetter() != null
            || description.getObjectIdInfo() != null) {
          return null;
        }
        RecordComponent[] components = type.getRecordComponents();
        List<BeanPropertyDefinition> properties = description.findProperties();
        if (components.length == 0 || properties.size() != components.length) {
          return null;
        }
        List<String> names = new ArrayList<>();
        List<Function<Object, Object>> readers = new ArrayList<>();
        List<PlainValue> values = new ArrayList<>();
        for (BeanPropertyDefinition property : properties) {
          AnnotatedMethod getter = property.getGetter();
          RecordComponent component = componentNamed(components, property.getName());
          if (getter == null
              || component == null
              || !getter.getAnnotated().equals(component.getAccessor())) {
            return null;
          }
          PlainValue value = PlainValue.of(config, component.getType(), enclosing);
          if (value == null) {
            return null;
          }
          Function<Object, Object> reader;
          try {
            reader =
                PropertyReader.of(MethodHandles.publicLookup().unreflect(component.getAccessor()));
          } catch (IllegalAccessException e) {
            return null;
          }
          names.add(property.getName());
          readers.add(reader);
          values.add(value);
        }
        return new RecordValue(
            names.toArray(new String[0]),
            readers.toArray(Function[]::new),
            values.toArray(new PlainValue[0]));
      }

      private static RecordComponent componentNamed(RecordComponent[] components, String name) {
        for (RecordComponent component : components) {
          if (component.getName().equals(name)) {
            return component;
          }
        }
        return null;
      }

      /** Whether the record or any of its members carries an annotation Jackson may act on. */
      private static boolean annotated(Class<?> type) {
        if (readByJackson(type)) {
          return true;
        }
        for (RecordComponent component : type.getRecordComponents()) {
          if (readByJackson(component) || readByJackson(component.getAccessor())) {
            return true;
          }
        }
        for (Field field : type.getDeclaredFields()) {
          if (readByJackson(field)) {
            return true;
          }
        }
        for (Method method : type.getDeclaredMethods()) {
          if (readByJackson(method)) {
            return true;
          }
        }
        for (Constructor<?> constructor : type.getDeclaredConstructors()) {
          if (readByJackson(constructor)) {
            return true;
          }
          for (java.lang.reflect.Parameter parameter : constructor.getParameters()) {
            if (readByJackson(parameter)) {
              return true;
            }
          }
        }
        return false;
      }

      @Override
      void writeValue(JsonBytes out, Object value) throws Throwable {
        for (int i = 0; i < prefixes.length; i++) {
          out.bytes(prefixes[i]);
          values[i].write(out, readers[i].apply(value));
        }
        out.append('}');
      }
    }
  }

  /**
   * A growing buffer of JSON text in UTF-8, written as Jackson's UTF-8 generator writes it with the
   * canonical mapper's settings: strings escape the quote and the backslash, the control characters
   * backspace, tab, newline, form feed and carriage return by letter, the other control characters
   * and both halves of a surrogate pair as Unicode escapes with upper-case hex digits, and leave
   * every other character as UTF-8. Each thread reuses one buffer (see {@link #borrow()}), so a
   * fingerprint allocates only its result. Not thread-safe.
   */
  static final class JsonBytes {
    /**
     * The ASCII characters that a JSON string holds as they are: printable, not quote or backslash.
     */
    private static final boolean[] VERBATIM = new boolean[0x80];

    static {
      for (char c = 0x20; c < 0x80; c++) {
        VERBATIM[c] = c != '"' && c != '\\';
      }
    }

    /** A buffer that grew beyond this is dropped when given back, not kept by its thread. */
    private static final int KEPT_LIMIT = 4096;

    private static final ThreadLocal<JsonBytes> BUFFERS = ThreadLocal.withInitial(JsonBytes::new);

    private static final byte[] UPPER_HEX =
        "0123456789ABCDEF".getBytes(StandardCharsets.ISO_8859_1);

    /** Thrown for a string with a lone surrogate, which Jackson refuses with its own message. */
    private static final RuntimeException UNWRITABLE =
        new RuntimeException("lone surrogate", null, false, false) {};

    private byte[] bytes = new byte[RAW_LIMIT];
    private int length;
    private boolean borrowed;

    /**
     * This thread's empty buffer, or a new one while this thread's is in use (a record accessor
     * that itself computes a fingerprint). Give it back when done.
     */
    static JsonBytes borrow() {
      JsonBytes buffer = BUFFERS.get();
      if (buffer.borrowed) {
        buffer = new JsonBytes();
      }
      buffer.borrowed = true;
      buffer.length = 0;
      return buffer;
    }

    void giveBack() {
      borrowed = false;
      if (bytes.length > KEPT_LIMIT) {
        bytes = new byte[RAW_LIMIT];
      }
    }

    void append(char ascii) {
      ensure(1);
      bytes[length++] = (byte) ascii;
    }

    /** Appends bytes that are already JSON. */
    void bytes(byte[] json) {
      ensure(json.length);
      System.arraycopy(json, 0, bytes, length, json.length);
      length += json.length;
    }

    /** Appends text known to be ASCII with nothing to escape, such as a number. */
    void ascii(String text) {
      int n = text.length();
      ensure(n);
      for (int i = 0; i < n; i++) {
        bytes[length++] = (byte) text.charAt(i);
      }
    }

    /** Appends an integer in decimal, as {@code Long.toString} writes it. */
    void integer(long value) {
      if (value == Long.MIN_VALUE) {
        ascii(Long.toString(value));
        return;
      }
      ensure(20);
      long rest = value;
      if (rest < 0) {
        bytes[length++] = '-';
        rest = -rest;
      }
      int first = length;
      do {
        bytes[length++] = (byte) ('0' + (int) (rest % 10));
        rest /= 10;
      } while (rest != 0);
      for (int i = first, j = length - 1; i < j; i++, j--) {
        byte digit = bytes[i];
        bytes[i] = bytes[j];
        bytes[j] = digit;
      }
    }

    /** Appends a JSON string: quoted, escaped and encoded as UTF-8. */
    void string(String text) {
      int n = text.length();
      // Room for one byte per character and both quotes; a character that takes more reserves the
      // difference, so the common printable ASCII character is written without a check.
      ensure(n + 2);
      bytes[length++] = '"';
      for (int i = 0; i < n; i++) {
        char c = text.charAt(i);
        if (c < 0x80 && VERBATIM[c]) {
          bytes[length++] = (byte) c;
        } else if (c < 0x80) {
          ensure(6 + n - i);
          escape(c);
        } else if (c < 0x800) {
          ensure(2 + n - i);
          bytes[length++] = (byte) (0xc0 | (c >> 6));
          bytes[length++] = (byte) (0x80 | (c & 0x3f));
        } else if (!Character.isSurrogate(c)) {
          ensure(3 + n - i);
          bytes[length++] = (byte) (0xe0 | (c >> 12));
          bytes[length++] = (byte) (0x80 | ((c >> 6) & 0x3f));
          bytes[length++] = (byte) (0x80 | (c & 0x3f));
        } else {
          if (!Character.isHighSurrogate(c)
              || i + 1 >= n
              || !Character.isLowSurrogate(text.charAt(i + 1))) {
            throw UNWRITABLE;
          }
          ensure(12 + n - i);
          unicodeEscape(c);
          unicodeEscape(text.charAt(++i));
        }
      }
      bytes[length++] = '"';
    }

    /** Writes up to six bytes; the caller has made room for them. */
    private void escape(char c) {
      char letter;
      switch (c) {
        case '"' -> letter = '"';
        case '\\' -> letter = '\\';
        case '\b' -> letter = 'b';
        case '\t' -> letter = 't';
        case '\n' -> letter = 'n';
        case '\f' -> letter = 'f';
        case '\r' -> letter = 'r';
        default -> letter = 0;
      }
      if (letter != 0) {
        bytes[length++] = '\\';
        bytes[length++] = (byte) letter;
        return;
      }
      unicodeEscape(c);
    }

    /** Writes six bytes; the caller has made room for them. */
    private void unicodeEscape(char c) {
      bytes[length++] = '\\';
      bytes[length++] = 'u';
      bytes[length++] = UPPER_HEX[c >> 12];
      bytes[length++] = UPPER_HEX[(c >> 8) & 0xf];
      bytes[length++] = UPPER_HEX[(c >> 4) & 0xf];
      bytes[length++] = UPPER_HEX[c & 0xf];
    }

    private void ensure(int more) {
      if (length + more > bytes.length) {
        bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
      }
    }

    int length() {
      return length;
    }

    byte[] toByteArray() {
      return Arrays.copyOf(bytes, length);
    }

    /** The bytes as the characters of the same codes: equal exactly when the bytes are. */
    String latin1() {
      return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
    }

    String sha256Hex() {
      return Sha256.hex(bytes, length);
    }
  }
}
