package dev.idempotent.codec;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The default codec on its own: exact round trips, strict reads, checks ahead of the first call.
 */
class JacksonOutcomeCodecTest {
  enum Status {
    OPEN,
    SETTLED
  }

  public record Payment(
      String id,
      BigDecimal amount,
      Optional<String> note,
      Status status,
      double rate,
      Instant at,
      Duration took,
      Map<String, List<Long>> parts) {}

  public record Summary(String id, int count) {
    @JsonIgnore
    public int getTwice() {
      return count * 2;
    }
  }

  private final OutcomeCodec codec = JacksonOutcomeCodec.create();

  private static Payment payment(String note, double rate) {
    Map<String, List<Long>> parts = new TreeMap<>();
    parts.put("a", List.of(1L, Long.MAX_VALUE));
    return new Payment(
        "p-1",
        new BigDecimal("10.50"),
        Optional.ofNullable(note),
        Status.SETTLED,
        rate,
        Instant.parse("2026-11-30T10:00:00.000000001Z"),
        Duration.ofMillis(1500),
        parts);
  }

  private static Object roundTrip(ValueCodec values, Object value) throws IOException {
    return values.read(values.write(value));
  }

  @Test
  void valuesRoundTripExactlyIncludingEmptyOptionalsAndSpecialDoubles() throws IOException {
    ValueCodec values = codec.forType(Payment.class);
    for (Payment p :
        List.of(
            payment("n", 0.1),
            payment(null, Double.NaN),
            payment(null, Double.POSITIVE_INFINITY),
            payment(null, Double.MIN_VALUE),
            payment(null, Double.MAX_VALUE))) {
      assertEquals(p, roundTrip(values, p));
    }
    assertEquals(null, roundTrip(values, null));
  }

  @Test
  void anApplicationMapperThatLeavesOutNullsStillReadsBackItsOwnRecords() throws IOException {
    ObjectMapper mapper =
        JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .addModule(new Jdk8Module())
            .serializationInclusion(JsonInclude.Include.NON_ABSENT)
            .build();
    ValueCodec values = JacksonOutcomeCodec.of(mapper).forType(Payment.class);
    Payment p = new Payment("p", null, Optional.empty(), null, 1, null, null, null);
    assertEquals(p, roundTrip(values, p));
    assertEquals(
        JsonInclude.Include.NON_ABSENT,
        mapper.getSerializationConfig().getDefaultPropertyInclusion().getValueInclusion(),
        "the application's mapper is not changed");
  }

  @Test
  void readFailuresNameThePathButNeverTheData() throws IOException {
    ValueCodec values = codec.forType(new TypeReference<Map<String, Payment>>() {}.getType());
    IOException e =
        assertThrows(
            IOException.class,
            () ->
                values.read(
                    ("{\"secret-key\":{\"id\":\"secret-id\",\"amount\":1,\"note\":null,"
                            + "\"status\":\"OPEN\",\"rate\":1,\"at\":null,\"took\":null,"
                            + "\"parts\":null,\"unknown\":\"secret-value\"}}")
                        .getBytes(UTF_8)));
    assertTrue(
        e.getMessage().contains("UnrecognizedPropertyException at $[…].unknown"), e.getMessage());
    assertFalse(e.getMessage().contains("secret"), e.getMessage());
    assertEquals(null, e.getCause());
  }

  @Test
  void ignoredDerivedGettersAreAcceptedAndUnignoredOnesRefused() throws IOException {
    ValueCodec values = codec.forType(Summary.class);
    assertEquals(new Summary("s", 2), roundTrip(values, new Summary("s", 2)));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> codec.forType(Derived.class));
    assertTrue(e.getMessage().contains("writes property 'total'"), e.getMessage());
  }

  @Test
  void unwrappedPropertiesAreReadBackInline() throws IOException {
    Wrapper wrapper = new Wrapper();
    wrapper.summary = new Summary("s", 3);
    wrapper.label = "l";
    assertEquals(wrapper, roundTrip(codec.forType(Wrapper.class), wrapper));
  }

  @Test
  void subtypesChosenByNameRoundTripAndByClassNameAreRefused() throws IOException {
    Drawing drawing = new Drawing("d", List.of(new Circle(2)));
    assertEquals(drawing, roundTrip(codec.forType(Drawing.class), drawing));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> codec.forType(ClassDrawing.class));
    assertTrue(e.getMessage().contains("@JsonTypeInfo(use = CLASS)"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> codec.forType(ClassNamed.class));
  }

  @Test
  void aRecursiveTypeIsCheckedOnce() throws IOException {
    ValueCodec values = codec.forType(Node.class);
    Node tree = new Node("root", List.of(new Node("leaf", List.of())));
    assertEquals(tree, roundTrip(values, tree));
  }

  public record Derived(String id, int count) {
    public int getTotal() {
      return count;
    }
  }

  public record Node(String name, List<Node> children) {}

  @JsonTypeInfo(use = JsonTypeInfo.Id.CLASS)
  public interface ClassNamed {}

  @JsonTypeInfo(use = JsonTypeInfo.Id.NAME)
  @JsonSubTypes(@JsonSubTypes.Type(value = Circle.class, name = "circle"))
  public interface Named {}

  public record Circle(double radius) implements Named, ClassNamed {}

  public record Drawing(String id, List<Named> shapes) {}

  public record ClassDrawing(String id, List<ClassNamed> shapes) {}

  /** A bean that writes the properties of another inline. */
  public static final class Wrapper {
    @JsonUnwrapped public Summary summary;
    public String label;

    @Override
    public boolean equals(Object o) {
      return o instanceof Wrapper w && summary.equals(w.summary) && label.equals(w.label);
    }

    @Override
    public int hashCode() {
      return label.hashCode();
    }
  }
}
