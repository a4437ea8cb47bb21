package dev.idempotent.engine;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.jsontype.BasicPolymorphicTypeValidator;
import dev.idempotent.IdempotencyDefinitionException;
import dev.idempotent.IdempotencyEngine;
import dev.idempotent.Idempotent;
import dev.idempotent.codec.JacksonOutcomeCodec;
import dev.idempotent.codec.OutcomeCodec;
import dev.idempotent.codec.ValueCodec;
import dev.idempotent.store.Acquisition;
import dev.idempotent.store.IdempotencyKey;
import dev.idempotent.store.Outcome;
import java.io.IOException;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The codec SPI: the engine asks the codec once per method, wraps every codec's values in its own
 * record format, and still reads the records that earlier versions wrote.
 */
class OutcomeCodecSpiTest {
  public record Receipt(String id, BigDecimal amount, Instant at, List<String> items) {}

  public static class Declined extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public Declined(String message) {
      super(message);
    }
  }

  static final class Shop {
    final AtomicInteger runs = new AtomicInteger();

    @Idempotent(keyExpr = "#p0")
    Receipt receipt(String key) {
      runs.incrementAndGet();
      return new Receipt("r-new", BigDecimal.ONE, Instant.EPOCH, List.of());
    }

    @Idempotent(keyExpr = "#p0")
    Optional<Receipt> maybe(String key) {
      runs.incrementAndGet();
      return Optional.of(new Receipt("r-new", BigDecimal.ONE, Instant.EPOCH, List.of()));
    }

    @Idempotent(keyExpr = "#p0")
    long count(String key) {
      return runs.incrementAndGet();
    }

    @Idempotent(keyExpr = "#p0")
    String text(String key) {
      runs.incrementAndGet();
      return "new";
    }

    @Idempotent(keyExpr = "#p0")
    void nothing(String key) {
      runs.incrementAndGet();
    }

    @Idempotent(keyExpr = "#p0", recordExceptions = Declined.class)
    String fail(String key) {
      runs.incrementAndGet();
      return "ran";
    }
  }

  private final RecordingStore store = new RecordingStore(false);
  private final Shop shop = new Shop();

  /** Bytes exactly as the engine wrote them before outcomes had a codec SPI. */
  @Test
  void recordsWrittenByTheVersionBeforeTheCodecSpiStillDecode() throws Throwable {
    Calls calls = new Calls(IdempotencyEngine.builder().store(store).build());
    plant(
        "receipt",
        "{\"v\":{\"id\":\"r-1\",\"amount\":12.50,\"at\":\"2026-11-28T10:15:30.123456789Z\","
            + "\"items\":[\"a\",\"é\\\"\\\\\"]}}");
    plant("maybe", "{\"v\":null}");
    plant("count", "{\"v\":42}");
    plant("text", "{\"v\":\"plain é text\"}");
    plant("nothing", "{\"v\":null}");
    plant("fail", "{\"x\":\"" + Declined.class.getName() + "\",\"m\":\"card declined\"}");

    assertEquals(
        new Receipt(
            "r-1",
            new BigDecimal("12.50"),
            Instant.parse("2026-11-28T10:15:30.123456789Z"),
            List.of("a", "é\"\\")),
        calls.call(shop, "receipt", "k"));
    assertEquals(Optional.empty(), calls.call(shop, "maybe", "k"));
    assertEquals(42L, calls.call(shop, "count", "k"));
    assertEquals("plain é text", calls.call(shop, "text", "k"));
    assertNull(calls.call(shop, "nothing", "k"));
    Declined declined = assertThrows(Declined.class, () -> calls.call(shop, "fail", "k"));
    assertEquals("card declined", declined.getMessage());
    assertEquals(0, shop.runs.get(), "every record replayed; no body ran");
  }

  @Test
  void recordedExceptionWithANullMessageFromTheVersionBeforeStillDecodes() throws Throwable {
    Calls calls = new Calls(IdempotencyEngine.builder().store(store).build());
    plant("fail", "{\"x\":\"" + Declined.class.getName() + "\",\"m\":null}");
    Declined declined = assertThrows(Declined.class, () -> calls.call(shop, "fail", "k"));
    assertNull(declined.getMessage());
    assertEquals(0, shop.runs.get());
  }

  @Test
  void theEngineAsksTheCodecOncePerMethodAndWrapsItsValuesInItsOwnRecord() throws Throwable {
    CountingCodec codec = new CountingCodec(JacksonOutcomeCodec.create());
    IdempotencyEngine engine = IdempotencyEngine.builder().store(store).codec(codec).build();
    Calls calls = new Calls(engine);
    engine.check(Calls.find(Shop.class, "receipt"));
    Object first = calls.call(shop, "receipt", "a");
    assertEquals(first, calls.call(shop, "receipt", "a"));
    calls.call(shop, "receipt", "b");
    assertEquals(1, shop.runs.get() - 1, "two keys, two runs");
    assertEquals(List.of((Type) Receipt.class), codec.types);
    assertEquals(2, codec.writes.get());
    assertEquals(1, codec.reads.get());
    String record = new String(store.completed.get(0).bytes(), UTF_8);
    assertTrue(record.startsWith("{\"v\":{\"id\":\"r-new\""), record);
  }

  @Test
  void aCodecThatRefusesATypeFailsTheDefinitionNamingMethodAndReason() {
    OutcomeCodec refusing =
        type -> {
          throw new IllegalArgumentException("receipts are not supported by this codec");
        };
    IdempotencyEngine engine = IdempotencyEngine.builder().store(store).codec(refusing).build();
    IdempotencyDefinitionException e =
        assertThrows(
            IdempotencyDefinitionException.class,
            () -> engine.check(Calls.find(Shop.class, "receipt")));
    assertTrue(e.getMessage().contains(Shop.class.getName() + ".receipt(String)"), e.getMessage());
    assertTrue(e.getMessage().contains("receipts are not supported"), e.getMessage());
  }

  @Test
  void aMapperWithDefaultTypingIsRefused() {
    ObjectMapper typing =
        JsonMapper.builder()
            .activateDefaultTyping(
                BasicPolymorphicTypeValidator.builder().allowIfBaseType(Object.class).build())
            .build();
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> JacksonOutcomeCodec.of(typing));
    assertTrue(e.getMessage().contains("default typing"), e.getMessage());
    assertThrows(
        IllegalArgumentException.class, () -> IdempotencyEngine.builder().objectMapper(typing));
  }

  private void plant(String method, String record) {
    IdempotencyKey key =
        IdempotencyKey.of(Shop.class.getName() + "." + method + "(java.lang.String)", "k");
    Acquisition a = store.acquire(key, null, Duration.ofMinutes(1));
    store.complete(key, a.token(), Outcome.encoded(record.getBytes(UTF_8)), Duration.ofHours(1));
  }

  /** Passes everything to another codec and counts what the engine asks of it. */
  static final class CountingCodec implements OutcomeCodec {
    final OutcomeCodec delegate;
    final List<Type> types = new CopyOnWriteArrayList<>();
    final AtomicInteger writes = new AtomicInteger();
    final AtomicInteger reads = new AtomicInteger();

    CountingCodec(OutcomeCodec delegate) {
      this.delegate = delegate;
    }

    @Override
    public ValueCodec forType(Type valueType) {
      types.add(valueType);
      ValueCodec values = delegate.forType(valueType);
      return new ValueCodec() {
        @Override
        public byte[] write(Object value) throws IOException {
          writes.incrementAndGet();
          return values.write(value);
        }

        @Override
        public Object read(byte[] json) throws IOException {
          reads.incrementAndGet();
          return values.read(json);
        }
      };
    }
  }
}
