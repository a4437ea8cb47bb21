package dev.idempotent.internal.json;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationConfig;
import com.fasterxml.jackson.databind.introspect.AnnotatedMethod;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import dev.idempotent.rules.expr.PropertyReader;
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
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * Writes one plain value with the generator calls that Jackson's own serializer for its type makes,
 * so the bytes are the same. Built once per parameter type; thread-safe.
 */
public abstract class PlainValue {

  /**
   * Writes {@code value}, which may be null.
   *
   * @throws Throwable what a record accessor threw, or an unchecked exception for a string with a
   *     lone surrogate: the caller then writes the value through Jackson instead
   */
  public final void write(JsonBytes out, Object value) throws Throwable {
    if (value == null) {
      out.ascii("null");
    } else {
      writeValue(out, value);
    }
  }

  abstract void writeValue(JsonBytes out, Object value) throws Throwable;

  /**
   * Writers for the included parameters, or null when any of them is not a plain value.
   *
   * @param writer a writer of the canonical mapper, whose introspection names record properties
   * @param types every parameter's declared type
   * @param included the positions of the parameters to write
   * @return one writer per included parameter, or null
   */
  public static PlainValue[] forParameters(ObjectWriter writer, Class<?>[] types, int[] included) {
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
  private static final class RecordValue extends PlainValue {
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
