package dev.idempotent.codec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.lang.reflect.Type;
import java.util.Objects;

/**
 * The default {@link OutcomeCodec}: Jackson 2, with default typing off, so a stored record never
 * names a class to build; values decode into the method's declared type and nothing else.
 *
 * <p>Reading is strict whatever the mapper says: a property the type does not know, a missing
 * creator property or record component, a null for a primitive, a float where an integer belongs, a
 * number beyond the range of {@code double}, a duplicate property, a single value where an array
 * belongs, or anything after the value fails, instead of decoding into a different value. Writing
 * fails for a bean without properties, and writes null properties too (strict reading needs every
 * creator property). {@link #forType} checks ahead that what is written can be read back.
 *
 * <p>Immutable and thread-safe.
 */
public final class JacksonOutcomeCodec implements OutcomeCodec {
  private final ObjectMapper mapper;

  private JacksonOutcomeCodec(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  /**
   * The codec the engine uses when it is given none: java.time and {@code Optional} support, dates
   * as ISO-8601 text, no default typing.
   */
  public static JacksonOutcomeCodec create() {
    return new JacksonOutcomeCodec(
        JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .addModule(new Jdk8Module())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .serializationInclusion(JsonInclude.Include.ALWAYS)
            .build());
  }

  /**
   * A codec over the application's own mapper (its modules, naming strategy and date format). The
   * mapper is copied, so later changes to it do not reach the codec; the copy writes null
   * properties and does not coerce scalars (a string into a number), whatever the mapper says.
   *
   * @param mapper the mapper; must not enable default typing
   * @throws IllegalArgumentException when the mapper enables default typing, with which a stored
   *     record could name any class to build
   * @throws NullPointerException when the mapper is null
   */
  public static JacksonOutcomeCodec of(ObjectMapper mapper) {
    Objects.requireNonNull(mapper, "mapper");
    if (mapper.getDeserializationConfig().getDefaultTyper(null) != null
        || mapper.getSerializationConfig().getDefaultTyper(null) != null) {
      throw new IllegalArgumentException(
          "JacksonOutcomeCodec.of: the ObjectMapper enables default typing"
              + " (activateDefaultTyping), so a stored record could name any class to build;"
              + " give the codec a mapper without it (outcomes decode into the method's declared"
              + " return type and need no type information).");
    }
    ObjectMapper copy;
    try {
      copy = mapper.copy();
    } catch (IllegalStateException e) {
      throw new IllegalArgumentException(
          "JacksonOutcomeCodec.of: "
              + mapper.getClass().getName()
              + " cannot be copied (it does not override ObjectMapper.copy()); build the codec"
              + " from a JsonMapper configured the same way.",
          e);
    }
    copy.setDefaultPropertyInclusion(JsonInclude.Include.ALWAYS);
    copy.coercionConfigDefaults().setAcceptBlankAsEmpty(false);
    @SuppressWarnings("deprecation")
    ObjectMapper configured = copy.configure(MapperFeature.ALLOW_COERCION_OF_SCALARS, false);
    return new JacksonOutcomeCodec(configured);
  }

  /**
   * Prepares a writer and a strict reader for one declared type, after checking that its values can
   * be written and read back: every bean reachable from it has properties, a constructor or factory
   * Jackson can build it with, and no property that is written but cannot be read.
   *
   * @throws IllegalArgumentException when they cannot, naming the type, the property and the fix
   */
  @Override
  public ValueCodec forType(Type valueType) {
    Objects.requireNonNull(valueType, "valueType");
    JavaType type = mapper.constructType(valueType);
    String problem = new JacksonTypeCheck(mapper).problem(type);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
    ObjectWriter writer = mapper.writerFor(type).with(SerializationFeature.FAIL_ON_EMPTY_BEANS);
    return new JacksonValueCodec(mapper.getFactory(), writer, strictReader(type));
  }

  private ObjectReader strictReader(JavaType type) {
    return mapper
        .readerFor(type)
        .with(
            DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES,
            DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES,
            DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS,
            DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES,
            DeserializationFeature.FAIL_ON_TRAILING_TOKENS,
            DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY,
            DeserializationFeature.FAIL_ON_INVALID_SUBTYPE,
            DeserializationFeature.FAIL_ON_UNRESOLVED_OBJECT_IDS)
        .without(
            DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY,
            DeserializationFeature.UNWRAP_SINGLE_VALUE_ARRAYS,
            DeserializationFeature.ACCEPT_EMPTY_STRING_AS_NULL_OBJECT,
            DeserializationFeature.ACCEPT_EMPTY_ARRAY_AS_NULL_OBJECT,
            DeserializationFeature.ACCEPT_FLOAT_AS_INT,
            DeserializationFeature.READ_UNKNOWN_ENUM_VALUES_AS_NULL,
            DeserializationFeature.READ_UNKNOWN_ENUM_VALUES_USING_DEFAULT_VALUE)
        .with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
  }

  @Override
  public String toString() {
    return "JacksonOutcomeCodec[" + mapper.getClass().getSimpleName() + "]";
  }
}
