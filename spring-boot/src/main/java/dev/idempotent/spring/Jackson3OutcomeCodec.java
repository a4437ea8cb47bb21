package dev.idempotent.spring;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.idempotent.codec.JacksonOutcomeCodec;
import dev.idempotent.codec.OutcomeCodec;
import dev.idempotent.codec.ValueCodec;
import java.io.IOException;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.util.Map;
import java.util.Objects;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.core.util.JsonParserDelegate;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.cfg.EnumFeature;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.json.JsonMapper;

/**
 * An {@link OutcomeCodec} on Jackson 3 ({@code tools.jackson}), the Jackson of Spring Boot 4: the
 * starter uses it over the application's {@link JsonMapper} bean, so outcomes kept in Redis or a
 * database are written with the application's modules, naming and date settings. Its name says
 * which Jackson it needs, beside core's {@link JacksonOutcomeCodec} for Jackson 2.
 *
 * <p>It keeps the rules of {@link JacksonOutcomeCodec}, so the two read each other's records of the
 * same types (an application moving from Spring Boot 3.5 to 4 keeps its records): default typing
 * refused, null properties written, and reading strict whatever the mapper says: a property the
 * type does not know, a missing creator property or record component, a null for a primitive, a
 * float where an integer belongs, a number no {@code double} can hold, a duplicate property, a
 * single value where an array belongs, a number for an enum, or anything after the value fails,
 * instead of decoding into a different value.
 *
 * <p>{@link #forType} refuses a type whose values cannot be written and read back (no properties,
 * nothing to build it with, a property written but not read) by the same introspection as {@link
 * JacksonOutcomeCodec}: both Jacksons read the same {@code com.fasterxml.jackson.annotation}
 * annotations. A type only this mapper's own modules know how to build may therefore be refused;
 * declare an {@code OutcomeCodec} bean of your own for it.
 *
 * <p>Immutable and thread-safe.
 */
public final class Jackson3OutcomeCodec implements OutcomeCodec {
  /** Decimal exponents beyond these cannot be held by a double: they read as 0 or infinity. */
  private static final int MAX_EXPONENT = 309;

  private static final int MIN_EXPONENT = -324;

  private final JsonMapper mapper;
  private final OutcomeCodec typeCheck = JacksonOutcomeCodec.create();

  private Jackson3OutcomeCodec(JsonMapper mapper) {
    this.mapper = mapper;
  }

  /**
   * A codec over the application's mapper: a copy of it that writes null properties and does not
   * coerce scalars, whatever the mapper says (later changes to the mapper cannot reach it, as
   * Jackson 3 mappers are immutable).
   *
   * @param mapper the mapper, such as Spring Boot's auto-configured one; must not enable default
   *     typing
   * @return the codec
   * @throws IllegalArgumentException when the mapper enables default typing, with which a stored
   *     record could name any class to build
   * @throws NullPointerException when the mapper is null
   */
  public static Jackson3OutcomeCodec of(JsonMapper mapper) {
    Objects.requireNonNull(mapper, "mapper");
    JavaType object = mapper.constructType(Object.class);
    if (mapper.deserializationConfig().getDefaultTyper(object) != null
        || mapper.serializationConfig().getDefaultTyper(object) != null) {
      throw new IllegalArgumentException(
          "Jackson3OutcomeCodec.of: the JsonMapper enables default typing"
              + " (activateDefaultTyping), so a stored record could name any class to build;"
              + " give the codec a mapper without it (outcomes decode into the method's declared"
              + " return type and need no type information).");
    }
    JsonMapper strict =
        mapper
            .rebuild()
            .changeDefaultPropertyInclusion(
                inclusion -> inclusion.withValueInclusion(JsonInclude.Include.ALWAYS))
            .withCoercionConfigDefaults(coercion -> coercion.setAcceptBlankAsEmpty(false))
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .build();
    return new Jackson3OutcomeCodec(strict);
  }

  /** A codec over a default Jackson 3 mapper (java.time and {@code Optional} built in). */
  public static Jackson3OutcomeCodec create() {
    return of(JsonMapper.builder().build());
  }

  /**
   * Prepares a writer and a strict reader for one declared type, after checking that its values can
   * be written and read back.
   *
   * @throws IllegalArgumentException when they cannot, naming the type, the property and the fix
   */
  @Override
  public ValueCodec forType(Type valueType) {
    Objects.requireNonNull(valueType, "valueType");
    typeCheck.forType(valueType);
    JavaType type = mapper.constructType(valueType);
    ObjectWriter writer = mapper.writerFor(type).with(SerializationFeature.FAIL_ON_EMPTY_BEANS);
    ObjectReader reader =
        mapper
            .readerFor(type)
            .with(
                DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES,
                DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES,
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
                DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .with(EnumFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
            .without(EnumFeature.READ_UNKNOWN_ENUM_VALUES_AS_NULL)
            .without(EnumFeature.READ_UNKNOWN_ENUM_VALUES_USING_DEFAULT_VALUE)
            .with(StreamReadFeature.STRICT_DUPLICATE_DETECTION);
    return new Values(writer, reader);
  }

  @Override
  public String toString() {
    return "Jackson3OutcomeCodec[" + mapper.getClass().getSimpleName() + "]";
  }

  /** Writes and strictly reads the values of one type. Thread-safe. */
  private static final class Values implements ValueCodec {
    private final ObjectWriter writer;
    private final ObjectReader reader;

    Values(ObjectWriter writer, ObjectReader reader) {
      this.writer = writer;
      this.reader = reader;
    }

    @Override
    public byte[] write(Object value) throws IOException {
      try {
        return writer.writeValueAsBytes(value);
      } catch (JacksonException e) {
        throw new IOException(describe(e), e);
      }
    }

    @Override
    public Object read(byte[] json) throws IOException {
      try (JsonParser parser = new RangeCheckingParser(reader.createParser(json))) {
        Object value = reader.readValue(parser);
        if (parser.nextToken() != null) {
          throw new IOException("there is more JSON after the value");
        }
        return value;
      } catch (JacksonException e) {
        throw new IOException(describe(e));
      }
    }
  }

  /**
   * What went wrong and where, without the data: the kind of failure and the path of properties and
   * indexes, with map keys left out.
   */
  private static String describe(JacksonException e) {
    StringBuilder sb = new StringBuilder(e.getClass().getSimpleName());
    if (!e.getPath().isEmpty()) {
      sb.append(" at $");
      for (JacksonException.Reference step : e.getPath()) {
        if (step.from() instanceof Map) {
          sb.append("[…]");
        } else if (step.getPropertyName() != null) {
          sb.append('.').append(step.getPropertyName());
        } else {
          sb.append('[').append(step.getIndex()).append(']');
        }
      }
    }
    if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
      sb.append(" (into ").append(mismatch.getTargetType().getTypeName()).append(')');
    } else if (e instanceof StreamReadException && e.getLocation() != null) {
      sb.append(" at byte ").append(e.getLocation().getByteOffset());
    }
    return sb.toString();
  }

  /**
   * Fails on numbers that no {@code double} can hold: Jackson would read them as zero or infinity,
   * and the java.time types as the epoch or a zero duration.
   */
  private static final class RangeCheckingParser extends JsonParserDelegate {
    RangeCheckingParser(JsonParser parser) {
      super(parser);
    }

    @Override
    public JsonToken nextToken() {
      JsonToken token = delegate.nextToken();
      if (token == JsonToken.VALUE_NUMBER_FLOAT) {
        BigDecimal value = delegate.getDecimalValue();
        int exponent = value.precision() - value.scale();
        if (value.signum() != 0 && (exponent > MAX_EXPONENT || exponent < MIN_EXPONENT)) {
          throw new StreamReadException(delegate, "a number is out of range");
        }
      } else if (token == JsonToken.VALUE_NUMBER_INT
          && delegate.getNumberType() == JsonParser.NumberType.BIG_INTEGER
          && delegate.getTextLength() > MAX_EXPONENT) {
        throw new StreamReadException(delegate, "a number is out of range");
      }
      return token;
    }

    @Override
    public JsonToken nextValue() {
      JsonToken token = nextToken();
      return token == JsonToken.PROPERTY_NAME ? nextToken() : token;
    }
  }
}
