package dev.idempotent.codec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.core.util.JsonParserDelegate;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.Map;

/** Writes and strictly reads the values of one type with Jackson 2. Thread-safe. */
final class JacksonValueCodec implements ValueCodec {
  /**
   * Decimal exponents beyond these cannot be held by a double: they would read as 0 or infinity.
   */
  private static final int MAX_EXPONENT = 309;

  private static final int MIN_EXPONENT = -324;

  private final JsonFactory factory;
  private final ObjectWriter writer;
  private final ObjectReader reader;

  JacksonValueCodec(JsonFactory factory, ObjectWriter writer, ObjectReader reader) {
    this.factory = factory;
    this.writer = writer;
    this.reader = reader;
  }

  @Override
  public byte[] write(Object value) throws IOException {
    try {
      return writer.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IOException(describe(e), e);
    }
  }

  @Override
  public Object read(byte[] json) throws IOException {
    try (JsonParser parser = new RangeCheckingParser(factory.createParser(json))) {
      Object value = reader.readValue(parser);
      if (parser.nextToken() != null) {
        throw new IOException("there is more JSON after the value");
      }
      return value;
    } catch (JsonProcessingException e) {
      throw new IOException(describe(e));
    }
  }

  /**
   * What went wrong and where, without the data: the kind of failure and the path of properties and
   * indexes, with map keys left out.
   */
  private static String describe(JsonProcessingException e) {
    StringBuilder sb = new StringBuilder(e.getClass().getSimpleName());
    if (e instanceof JsonMappingException) {
      JsonMappingException mapping = (JsonMappingException) e;
      if (!mapping.getPath().isEmpty()) {
        sb.append(" at $");
        for (JsonMappingException.Reference step : mapping.getPath()) {
          if (step.getFrom() instanceof Map) {
            sb.append("[…]");
          } else if (step.getFieldName() != null) {
            sb.append('.').append(step.getFieldName());
          } else {
            sb.append('[').append(step.getIndex()).append(']');
          }
        }
      }
      Class<?> target = targetType(mapping);
      if (target != null) {
        sb.append(" (into ").append(target.getTypeName()).append(')');
      }
    } else if (e instanceof StreamReadException && e.getLocation() != null) {
      sb.append(" at byte ").append(e.getLocation().getByteOffset());
    }
    return sb.toString();
  }

  private static Class<?> targetType(JsonMappingException e) {
    if (e instanceof com.fasterxml.jackson.databind.exc.MismatchedInputException) {
      return ((com.fasterxml.jackson.databind.exc.MismatchedInputException) e).getTargetType();
    }
    return null;
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
    public JsonToken nextToken() throws IOException {
      JsonToken token = delegate.nextToken();
      if (token == JsonToken.VALUE_NUMBER_FLOAT) {
        BigDecimal value = delegate.getDecimalValue();
        int exponent = value.precision() - value.scale();
        if (value.signum() != 0 && (exponent > MAX_EXPONENT || exponent < MIN_EXPONENT)) {
          throw new JsonParseException(delegate, "a number is out of range");
        }
      } else if (token == JsonToken.VALUE_NUMBER_INT
          && delegate.getNumberType() == JsonParser.NumberType.BIG_INTEGER
          && delegate.getTextLength() > MAX_EXPONENT) {
        throw new JsonParseException(delegate, "a number is out of range");
      }
      return token;
    }

    @Override
    public JsonToken nextValue() throws IOException {
      JsonToken token = nextToken();
      return token == JsonToken.FIELD_NAME ? nextToken() : token;
    }
  }
}
