package dev.idempotent.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.idempotent.IdempotencyEngine;
import dev.idempotent.codec.JacksonOutcomeCodec;
import dev.idempotent.codec.OutcomeCodec;
import dev.idempotent.codec.ValueCodec;
import dev.idempotent.testing.CodecFixtures;
import java.io.IOException;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import tools.jackson.databind.DefaultTyping;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.jsontype.BasicPolymorphicTypeValidator;

/**
 * {@link Jackson3OutcomeCodec} against core's Jackson 2 {@link JacksonOutcomeCodec}: each reads
 * what the other wrote for the same types (so records survive a move from Spring Boot 3.5 to 4),
 * and both refuse the same malformed records. The Jackson 3 side is Spring Boot's auto-configured
 * {@link JsonMapper}, as the starter uses it.
 */
class Jackson3OutcomeCodecTest {
  /** An enum in a result. */
  public enum Status {
    ACCEPTED,
    DECLINED
  }

  /** A line of a receipt. */
  public record Line(String sku, int quantity, long priceCents) {}

  /** A result with the types applications return. */
  public record Receipt(
      String id,
      BigDecimal amount,
      Instant at,
      LocalDate day,
      Duration took,
      Status status,
      List<Line> lines,
      Map<String, Integer> counts,
      Optional<String> note,
      String missing) {}

  private static final Receipt RECEIPT =
      new Receipt(
          "r-1",
          new BigDecimal("10.50"),
          Instant.parse("2026-11-30T09:00:00.123456Z"),
          LocalDate.of(2026, 11, 30),
          Duration.ofMillis(1500),
          Status.ACCEPTED,
          List.of(new Line("sku-1", 2, 499), new Line("sku-2", 1, 52)),
          new LinkedHashMap<>(Map.of("a", 1)),
          Optional.of("gift"),
          null);

  private static final Jackson3OutcomeCodec JACKSON3 = bootsMapper();
  private static final JacksonOutcomeCodec JACKSON2 = JacksonOutcomeCodec.create();
  private static final ObjectMapper TREES = new ObjectMapper();

  private static Jackson3OutcomeCodec bootsMapper() {
    Jackson3OutcomeCodec[] codec = new Jackson3OutcomeCodec[1];
    new ApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(
                JacksonAutoConfiguration.class, IdempotencyAutoConfiguration.class))
        .run(
            context ->
                codec[0] =
                    assertInstanceOf(
                        Jackson3OutcomeCodec.class, context.getBean(OutcomeCodec.class)));
    return codec[0];
  }

  static Stream<Arguments> values() throws Exception {
    return Stream.of(
        Arguments.of(Receipt.class, RECEIPT),
        Arguments.of(String.class, "plain"),
        Arguments.of(long.class, Long.MAX_VALUE),
        Arguments.of(BigDecimal.class, new BigDecimal("1.000")),
        Arguments.of(
            Jackson3OutcomeCodecTest.class.getDeclaredMethod("lines").getGenericReturnType(),
            List.of(new Line("a", 1, 1))),
        Arguments.of(Receipt.class, null));
  }

  /** Declares {@code List<Line>} for a generic type. */
  static List<Line> lines() {
    return List.of();
  }

  @ParameterizedTest
  @MethodSource("values")
  void jackson3ReadsWhatJackson2WroteAndTheOtherWay(Type type, Object value) throws IOException {
    ValueCodec two = JACKSON2.forType(type);
    ValueCodec three = JACKSON3.forType(type);
    assertEquals(value, three.read(two.write(value)));
    assertEquals(value, two.read(three.write(value)));
  }

  /**
   * The same JSON apart from durations: Jackson 2 writes them as seconds ({@code 1.500000000}),
   * Jackson 3 as ISO-8601 text ({@code "PT1.5S"}); each reads both (the round trips above).
   */
  @Test
  void bothWriteTheSameJsonForTheSameReceiptApartFromDurations() throws IOException {
    ObjectNode two = (ObjectNode) TREES.readTree(JACKSON2.forType(Receipt.class).write(RECEIPT));
    ObjectNode three = (ObjectNode) TREES.readTree(JACKSON3.forType(Receipt.class).write(RECEIPT));
    assertEquals(1.5, two.remove("took").asDouble());
    assertEquals("PT1.5S", three.remove("took").asText());
    assertEquals(two, three);
  }

  static Stream<Arguments> malformed() throws Exception {
    return Stream.of(
        Arguments.of(Line.class, "{\"sku\":\"a\",\"quantity\":1,\"priceCents\":1,\"extra\":1}"),
        Arguments.of(Line.class, "{\"sku\":\"a\",\"quantity\":1}"),
        Arguments.of(Line.class, "{\"sku\":\"a\",\"quantity\":null,\"priceCents\":1}"),
        Arguments.of(Line.class, "{\"sku\":\"a\",\"quantity\":1.5,\"priceCents\":1}"),
        Arguments.of(Line.class, "{\"sku\":\"a\",\"quantity\":1,\"priceCents\":1} {}"),
        Arguments.of(Line.class, "{\"sku\":\"a\",\"sku\":\"b\",\"quantity\":1,\"priceCents\":1}"),
        Arguments.of(Line.class, "{\"sku\":\"a\",\"quantity\":\"1\",\"priceCents\":1}"),
        Arguments.of(double.class, "1e400"),
        Arguments.of(Status.class, "0"),
        Arguments.of(Status.class, "\"LOST\""),
        Arguments.of(
            Jackson3OutcomeCodecTest.class.getDeclaredMethod("lines").getGenericReturnType(),
            "{\"sku\":\"a\",\"quantity\":1,\"priceCents\":1}"));
  }

  @ParameterizedTest
  @MethodSource("malformed")
  void bothRefuseTheSameMalformedRecords(Type type, String json) {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    assertThrows(IOException.class, () -> JACKSON2.forType(type).read(bytes), "Jackson 2");
    assertThrows(IOException.class, () -> JACKSON3.forType(type).read(bytes), "Jackson 3");
  }

  @Test
  void aTypeWithoutPropertiesIsRefusedWhenPrepared() {
    IllegalArgumentException refused =
        assertThrows(
            IllegalArgumentException.class,
            () -> JACKSON3.forType(CodecFixtures.NoProperties.class));
    assertTrue(refused.getMessage().contains("NoProperties"), refused.getMessage());
  }

  @Test
  void aMapperWithDefaultTypingIsRefused() {
    JsonMapper typing =
        JsonMapper.builder()
            .activateDefaultTyping(
                BasicPolymorphicTypeValidator.builder().allowIfBaseType(Object.class).build(),
                DefaultTyping.NON_FINAL)
            .build();
    IllegalArgumentException refused =
        assertThrows(IllegalArgumentException.class, () -> Jackson3OutcomeCodec.of(typing));
    assertTrue(refused.getMessage().contains("default typing"), refused.getMessage());
  }

  @Test
  void anOutcomeCodecBeanOfTheApplicationWins() {
    OutcomeCodec own = JacksonOutcomeCodec.create();
    new ApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(
                JacksonAutoConfiguration.class, IdempotencyAutoConfiguration.class))
        .withBean(OutcomeCodec.class, () -> own)
        .run(
            context -> {
              assertEquals(own, context.getBean(OutcomeCodec.class));
              assertTrue(context.getBean(IdempotencyEngine.class) != null);
            });
  }
}
