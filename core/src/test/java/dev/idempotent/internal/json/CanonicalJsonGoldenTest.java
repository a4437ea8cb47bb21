package dev.idempotent.internal.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.ObjectWriter;
import dev.idempotent.internal.Sha256;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The canonical form of fingerprinted arguments, pinned byte for byte. Records already stored hold
 * fingerprints of this JSON, so a change here (of the direct writer or of the Jackson version the
 * build uses) would make every duplicate of such a record a key reuse: each expected text below was
 * written out by hand from the canonical mapper's settings (sorted properties and map keys, ISO
 * dates, Jackson 2's escapes), and both the direct writer of plain values and the canonical mapper
 * must give it.
 */
class CanonicalJsonGoldenTest {
  private static final ObjectWriter CANONICAL = CanonicalJson.canonicalMapper().writer();

  public enum Currency {
    EUR,
    USD {
      @Override
      public String toString() {
        return "dollar";
      }
    }
  }

  public record Line(String sku, int quantity, BigDecimal price) {}

  /** A bean whose getters are declared out of order. */
  public static final class Bean {
    public String getZulu() {
      return "z";
    }

    public int getAlpha() {
      return 1;
    }

    public Object getNothing() {
      return null;
    }
  }

  /** The JSON of {@code args} as the canonical mapper writes an argument array. */
  private static String mapper(Object... args) throws Exception {
    return new String(CANONICAL.writeValueAsBytes(args), StandardCharsets.UTF_8);
  }

  /** The JSON of {@code args} as the direct writer writes them, declared as {@code types}. */
  private static String direct(Class<?>[] types, Object... args) throws Throwable {
    int[] included = new int[types.length];
    for (int i = 0; i < included.length; i++) {
      included[i] = i;
    }
    PlainValue[] values = PlainValue.forParameters(CANONICAL, types, included);
    assertNotNull(values, "the direct writer takes these types");
    JsonBytes out = JsonBytes.borrow();
    try {
      out.append('[');
      for (int i = 0; i < values.length; i++) {
        if (i > 0) {
          out.append(',');
        }
        values[i].write(out, args[i]);
      }
      out.append(']');
      assertEquals(Sha256.hex(out.toByteArray()), out.sha256Hex());
      return new String(out.toByteArray(), StandardCharsets.UTF_8);
    } finally {
      out.giveBack();
    }
  }

  private static void assertGolden(String golden, Class<?>[] types, Object... args)
      throws Throwable {
    assertEquals(golden, mapper(args), "canonical mapper");
    assertEquals(golden, direct(types, args), "direct writer");
  }

  @Test
  void stringsEscapeQuoteBackslashAndControlsAndWriteSurrogatePairsAsEscapes() throws Throwable {
    assertGolden(
        "[\"q\\\"\\\\\\n\\t\\b\\f\\r\\u0001\\u001F\u007f/é€\\uD83D\\uDE00\",\"\"]",
        new Class<?>[] {String.class, String.class},
        "q\"\\\n\t\b\f\r\u0001\u001f\u007f/é€😀",
        "");
  }

  @Test
  void numbersKeepTheirJavaTextAndBigDecimalKeepsItsScale() throws Throwable {
    assertGolden(
        "[42,-9007199254740993,0.1,1.5,\"NaN\",\"-Infinity\",10.0,10,1E+3,"
            + "123456789012345678901234567890,-128,7]",
        new Class<?>[] {
          int.class,
          long.class,
          double.class,
          float.class,
          Double.class,
          float.class,
          BigDecimal.class,
          BigDecimal.class,
          BigDecimal.class,
          BigInteger.class,
          byte.class,
          Short.class
        },
        42,
        -9007199254740993L,
        0.1,
        1.5f,
        Double.NaN,
        Float.NEGATIVE_INFINITY,
        new BigDecimal("10.0"),
        new BigDecimal("10"),
        new BigDecimal("1E+3"),
        new BigInteger("123456789012345678901234567890"),
        (byte) -128,
        (short) 7);
  }

  @Test
  void booleansUuidsEnumsByNameAndNulls() throws Throwable {
    assertGolden(
        "[true,false,\"123e4567-e89b-12d3-a456-426614174000\",\"USD\",null,null]",
        new Class<?>[] {
          boolean.class, Boolean.class, UUID.class, Currency.class, String.class, Currency.class
        },
        true,
        Boolean.FALSE,
        UUID.fromString("123e4567-e89b-12d3-a456-426614174000"),
        Currency.USD,
        null,
        null);
  }

  @Test
  void recordsWriteTheirComponentsSortedByNameWithNulls() throws Throwable {
    assertGolden(
        "[{\"price\":1.50,\"quantity\":2,\"sku\":\"a\\\"b\"},{\"price\":null,\"quantity\":0,"
            + "\"sku\":null}]",
        new Class<?>[] {Line.class, Line.class},
        new Line("a\"b", 2, new BigDecimal("1.50")),
        new Line(null, 0, null));
  }

  @Test
  void datesAreIsoText() throws Exception {
    assertEquals(
        "[\"2024-01-02T03:04:05.600Z\",\"2024-01-02\",\"2024-01-02T03:04:05+02:00\","
            + "\"1970-01-01T00:00:00.000+00:00\"]",
        mapper(
            Instant.parse("2024-01-02T03:04:05.600Z"),
            LocalDate.of(2024, 1, 2),
            OffsetDateTime.of(2024, 1, 2, 3, 4, 5, 0, ZoneOffset.ofHours(2)),
            new Date(0)));
    assertNull(PlainValue.forParameters(CANONICAL, new Class<?>[] {Instant.class}, new int[] {0}));
  }

  @Test
  void beansMapsListsArraysAndOptionals() throws Exception {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("z", 1);
    map.put("a", List.of("x", 2));
    map.put("m", null);
    assertEquals(
        "[{\"alpha\":1,\"nothing\":null,\"zulu\":\"z\"},{\"a\":[\"x\",2],\"m\":null,\"z\":1},"
            + "[3,1],[1,2],[\"x\",null],\"AQI=\",\"x\",null]",
        mapper(
            new Bean(),
            map,
            List.of(3, 1),
            new int[] {1, 2},
            new String[] {"x", null},
            new byte[] {1, 2},
            Optional.of("x"),
            Optional.empty()));
  }
}
