package dev.idempotent.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.idempotent.IdempotencyKeyException;
import dev.idempotent.internal.json.CanonicalJson;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The plain-value writer must give byte for byte the JSON of the canonical Jackson writer, or
 * fingerprints would change; these tests compare the two over awkward values.
 */
class ArgumentFingerprintTest {
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

  public record Order(
      String id,
      long customer,
      double weight,
      float ratio,
      boolean express,
      Boolean gift,
      Currency currency,
      UUID trace,
      BigInteger units,
      short lane,
      Byte shelf,
      Line line) {}

  public record Renamed(@JsonProperty("zz") String a, String b) {}

  public record WithGetter(String id) {
    public String getDisplay() {
      return "#" + id;
    }
  }

  public record WithTime(String id, Instant at) {}

  public record Throwing(String id) {
    @Override
    public String id() {
      throw new IllegalStateException("no id");
    }
  }

  private static ArgumentFingerprint fingerprint(boolean raw, Class<?>... types) {
    int[] included = new int[types.length];
    String[] names = new String[types.length];
    for (int i = 0; i < types.length; i++) {
      included[i] = i;
      names[i] = "p" + i;
    }
    return new ArgumentFingerprint("test", included, names, types, CANONICAL, raw);
  }

  private static String jackson(Object... args) throws Exception {
    return new String(CANONICAL.writeValueAsBytes(args), StandardCharsets.ISO_8859_1);
  }

  private static String jacksonHash(Object... args) throws Exception {
    return Sha256.hex(CANONICAL.writeValueAsBytes(args));
  }

  private static void assertSameAsJackson(ArgumentFingerprint fingerprint, Object... args)
      throws Exception {
    assertEquals(jackson(args), new String(fingerprint.json(args), StandardCharsets.ISO_8859_1));
    assertEquals(jacksonHash(args), fingerprint.of(args));
  }

  @Test
  void plainRecordsAreWrittenWithoutSerializersAndHashToTheSameFingerprint() throws Exception {
    ArgumentFingerprint fingerprint = fingerprint(false, Order.class, String.class, long.class);
    assertTrue(fingerprint.writesPlainValues());
    Random random = new Random(42);
    for (int i = 0; i < 500; i++) {
      assertSameAsJackson(
          fingerprint, randomOrder(random), randomString(random), random.nextLong());
    }
  }

  @Test
  void awkwardValuesGiveJacksonsBytes() throws Exception {
    ArgumentFingerprint fingerprint = fingerprint(false, Order.class);
    List<Order> orders = new ArrayList<>();
    orders.add(
        new Order(
            "q\"uo\\te\n\t\b\f\r\u0001\u001f\u007f/é€😀",
            Long.MIN_VALUE,
            Double.NaN,
            Float.NEGATIVE_INFINITY,
            true,
            null,
            Currency.USD,
            new UUID(0, 0),
            new BigInteger("-123456789012345678901234567890"),
            Short.MIN_VALUE,
            Byte.MAX_VALUE,
            new Line("", -0, new BigDecimal("1E+3"))));
    orders.add(
        new Order(null, 0, -0.0, 1e-7f, false, false, null, null, null, (short) 0, null, null));
    orders.add(
        new Order(
            "",
            Long.MAX_VALUE,
            1e21,
            Float.MIN_VALUE,
            true,
            true,
            Currency.EUR,
            UUID.fromString("123e4567-e89b-12d3-a456-426614174000"),
            BigInteger.ZERO,
            (short) 1,
            (byte) -1,
            new Line(null, Integer.MIN_VALUE, new BigDecimal("10.0"))));
    for (Order order : orders) {
      assertSameAsJackson(fingerprint, order);
      assertSameAsJackson(fingerprint, (Object) null);
    }
  }

  @Test
  void aLoneSurrogateIsLeftToJackson() throws Exception {
    ArgumentFingerprint fingerprint = fingerprint(false, String.class);
    for (String text : List.of("a\uD83D", "\uDE00b", "\uD83Dx\uDE00")) {
      Object[] args = {text};
      Object expected;
      try {
        expected = jacksonHash(args);
      } catch (Exception refused) {
        expected = refused.getClass();
      }
      Object actual;
      try {
        actual = fingerprint.of(args);
      } catch (RuntimeException refused) {
        actual = refused.getClass();
      }
      assertEquals(expected instanceof String, actual instanceof String, text);
      if (expected instanceof String) {
        assertEquals(expected, actual);
      }
    }
  }

  @Test
  void shortJsonIsTheFingerprintForAStoreThatKeepsObjects() throws Exception {
    ArgumentFingerprint fingerprint = fingerprint(true, Line.class, Currency.class);
    Object[] args = {new Line("sku-1", 2, new BigDecimal("19.99")), Currency.USD};
    assertEquals(jackson(args), fingerprint.of(args));
    assertEquals(
        "[{\"price\":19.99,\"quantity\":2,\"sku\":\"sku-1\"},\"USD\"]", fingerprint.of(args));
    assertNotEquals(
        fingerprint.of(args),
        fingerprint.of(
            new Object[] {new Line("sku-1", 2, new BigDecimal("19.990")), Currency.USD}));
  }

  @Test
  void longJsonIsHashedEvenForAStoreThatKeepsObjects() throws Exception {
    ArgumentFingerprint fingerprint = fingerprint(true, String.class);
    String text = "x".repeat(ArgumentFingerprint.RAW_LIMIT);
    assertEquals(jacksonHash(text), fingerprint.of(new Object[] {text}));
    assertEquals(64, fingerprint.of(new Object[] {text}).length());
  }

  @Test
  void typesJacksonTreatsSpeciallyGoThroughJackson() throws Exception {
    for (Class<?> type :
        List.of(Renamed.class, WithGetter.class, WithTime.class, Object.class, List.class)) {
      assertFalse(fingerprint(false, type).writesPlainValues(), type.getName());
    }
    assertSameAsJackson(fingerprint(false, Renamed.class), new Renamed("a", "b"));
    assertSameAsJackson(fingerprint(false, WithGetter.class), new WithGetter("a"));
    assertSameAsJackson(
        fingerprint(false, WithTime.class), new WithTime("a", Instant.ofEpochSecond(7)));
  }

  @Test
  void aRecordAccessorThatThrowsFailsAsThroughJackson() {
    ArgumentFingerprint fingerprint = fingerprint(false, Throwing.class);
    assertTrue(fingerprint.writesPlainValues());
    IdempotencyKeyException e =
        assertThrows(
            IdempotencyKeyException.class, () -> fingerprint.of(new Object[] {new Throwing("a")}));
    assertTrue(e.getMessage().contains("parameter 'p0'"), e.getMessage());
  }

  private static Order randomOrder(Random random) {
    return new Order(
        randomString(random),
        random.nextLong(),
        random.nextBoolean()
            ? random.nextDouble() * 1e6
            : Double.longBitsToDouble(random.nextLong()),
        Float.intBitsToFloat(random.nextInt()),
        random.nextBoolean(),
        random.nextInt(3) == 0 ? null : random.nextBoolean(),
        random.nextInt(3) == 0 ? null : Currency.values()[random.nextInt(2)],
        random.nextInt(3) == 0 ? null : new UUID(random.nextLong(), random.nextLong()),
        new BigInteger(70, random),
        (short) random.nextInt(),
        (byte) random.nextInt(),
        random.nextInt(4) == 0
            ? null
            : new Line(
                randomString(random),
                random.nextInt(),
                new BigDecimal(new BigInteger(40, random), random.nextInt(20) - 10)));
  }

  private static String randomString(Random random) {
    int length = random.nextInt(12);
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < length; i++) {
      switch (random.nextInt(4)) {
        case 0 -> text.append((char) random.nextInt(0x20));
        case 1 -> text.append((char) (0x20 + random.nextInt(0x60)));
        case 2 -> text.append((char) (0xa0 + random.nextInt(0x2000)));
        default -> text.appendCodePoint(0x1f600 + random.nextInt(0x40));
      }
    }
    return text.toString();
  }
}
