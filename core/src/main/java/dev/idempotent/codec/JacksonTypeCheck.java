package dev.idempotent.codec;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.AbstractDeserializer;
import com.fasterxml.jackson.databind.deser.BeanDeserializerBase;
import com.fasterxml.jackson.databind.deser.DefaultDeserializationContext;
import com.fasterxml.jackson.databind.ser.PropertyWriter;
import com.fasterxml.jackson.databind.ser.impl.UnknownSerializer;
import com.fasterxml.jackson.databind.ser.std.BeanSerializerBase;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Set;

/**
 * Checks ahead, from the type alone, that Jackson can write values of a type and read them back
 * strictly: walks the type's containers and bean properties and reports the first bean that has no
 * properties, cannot be built, or writes a property it cannot read. Not thread-safe; one per check.
 */
final class JacksonTypeCheck {
  private static final int MAX_DEPTH = 64;

  private final ObjectMapper mapper;
  private final DeserializationContext readContext;
  private final SerializerProvider writeContext;
  private final Set<JavaType> seen = new HashSet<>();

  JacksonTypeCheck(ObjectMapper mapper) {
    this.mapper = mapper;
    DeserializationConfig config = mapper.getDeserializationConfig();
    this.readContext =
        ((DefaultDeserializationContext) mapper.getDeserializationContext())
            .createDummyInstance(config);
    this.writeContext = mapper.getSerializerProviderInstance();
  }

  /** Why values of the type cannot be written and read back, or null when they can. */
  String problem(JavaType type) {
    try {
      return check(type, type.toCanonical(), 0);
    } catch (JsonMappingException e) {
      return type.toCanonical() + " cannot be handled by Jackson: " + e.getOriginalMessage();
    }
  }

  private String check(JavaType type, String path, int depth) throws JsonMappingException {
    if (depth > MAX_DEPTH || !seen.add(type)) {
      return null;
    }
    Class<?> raw = type.getRawClass();
    if (raw == Class.class) {
      return path + " is a Class; a record naming a class to load is never read back.";
    }
    if (raw == Object.class) {
      return path + " is Object, which says nothing of what to build; declare its concrete type.";
    }
    if (type.isContainerType() || type.isReferenceType()) {
      if (type.getKeyType() != null) {
        readContext.findKeyDeserializer(type.getKeyType(), null);
      }
      JavaType content = type.getContentType();
      return content == null ? null : check(content, path + "'s elements", depth + 1);
    }
    if (raw.isPrimitive() || raw.isEnum()) {
      return null;
    }
    JsonDeserializer<Object> reader = readContext.findRootValueDeserializer(type);
    if (reader instanceof AbstractDeserializer) {
      return cannotBuild(type, path);
    }
    if (!(reader instanceof BeanDeserializerBase)) {
      return null;
    }
    BeanDeserializerBase bean = (BeanDeserializerBase) reader;
    if (!bean.getValueInstantiator().canInstantiate()) {
      return cannotBuild(type, path);
    }
    JsonSerializer<Object> writer = writeContext.findValueSerializer(type);
    if (writer instanceof UnknownSerializer) {
      return noProperties(type, path);
    }
    if (!(writer instanceof BeanSerializerBase)) {
      return null;
    }
    Iterator<PropertyWriter> properties = ((BeanSerializerBase) writer).properties();
    if (!properties.hasNext()) {
      return noProperties(type, path);
    }
    Set<String> ignorable = ignorable(type);
    if (ignorable == null) {
      return null;
    }
    while (properties.hasNext()) {
      PropertyWriter property = properties.next();
      String name = property.getName();
      if (bean.findProperty(name) == null && !ignorable.contains(name)) {
        return writtenNotRead(type, path, name);
      }
      String problem = check(property.getType(), path + "." + name, depth + 1);
      if (problem != null) {
        return problem;
      }
    }
    return null;
  }

  /**
   * The property names the type's reader skips without failing, or null when it skips every unknown
   * property ({@code @JsonIgnoreProperties(ignoreUnknown = true)}).
   */
  private Set<String> ignorable(JavaType type) {
    DeserializationConfig config = mapper.getDeserializationConfig();
    BeanDescription description = config.introspect(type);
    JsonIgnoreProperties.Value ignorals =
        config.getDefaultPropertyIgnorals(type.getRawClass(), description.getClassInfo());
    if (ignorals.getIgnoreUnknown()) {
      return null;
    }
    Set<String> names = new HashSet<>(description.getIgnoredPropertyNames());
    names.addAll(ignorals.findIgnoredForDeserialization());
    return names;
  }

  private static String cannotBuild(JavaType type, String path) {
    String what = type.isAbstract() ? "abstract, with no known concrete type" : "not buildable";
    return path
        + " ("
        + type.getRawClass().getName()
        + ") is "
        + what
        + ": Jackson finds no constructor or factory to build it from its JSON. Return a record, a"
        + " class with a @JsonCreator constructor or a no-argument constructor and setters, or a"
        + " concrete class.";
  }

  private static String noProperties(JavaType type, String path) {
    return path
        + " ("
        + type.getRawClass().getName()
        + ") has no properties Jackson can write, so its values cannot be recorded. Give it"
        + " getters, public fields or record components, or return a type that has them.";
  }

  private static String writtenNotRead(JavaType type, String path, String name) {
    return path
        + " ("
        + type.getRawClass().getName()
        + ") writes property '"
        + name
        + "' but cannot read it back (no setter, field or creator parameter for it), so its"
        + " records would not decode. Mark the getter @JsonIgnore if it is derived, or make it"
        + " settable.";
  }
}
