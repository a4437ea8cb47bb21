package dev.idempotent.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.idempotent.IdempotencyEngine;
import dev.idempotent.IdempotencyStoreException;
import dev.idempotent.Idempotent;
import dev.idempotent.store.Acquisition;
import dev.idempotent.store.IdempotencyKey;
import dev.idempotent.store.Outcome;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Outcomes through a store that serializes: decoded into the method's generic return type. */
class SerializedOutcomesTest {
  record Order(String id, BigDecimal total, Instant placedAt) {}

  public static class PaymentDeclined extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public PaymentDeclined(String message) {
      super(message);
    }
  }

  public static class FraudSuspected extends PaymentDeclined {
    private static final long serialVersionUID = 1L;

    public FraudSuspected(String message) {
      super(message);
    }
  }

  static final class Shop {
    final AtomicInteger runs = new AtomicInteger();

    @Idempotent(keyExpr = "#p0")
    List<Order> orders(String key) {
      runs.incrementAndGet();
      return List.of(
          new Order("o-1", new BigDecimal("12.50"), Instant.parse("2026-11-28T10:15:30Z")),
          new Order("o-2", new BigDecimal("0.10"), Instant.parse("2026-11-28T10:15:31.123Z")));
    }

    @Idempotent(keyExpr = "#p0")
    Map<String, BigDecimal> totals(String key) {
      runs.incrementAndGet();
      return Map.of("EUR", new BigDecimal("10.00"), "USD", new BigDecimal("3.30"));
    }

    @Idempotent(keyExpr = "#p0")
    Optional<Order> maybe(String key, boolean present) {
      runs.incrementAndGet();
      return present
          ? Optional.of(new Order("o-9", BigDecimal.ONE, Instant.EPOCH))
          : Optional.empty();
    }

    @Idempotent(keyExpr = "#p0")
    Instant when(String key) {
      runs.incrementAndGet();
      return Instant.parse("2026-11-28T01:02:03.456789Z");
    }

    @Idempotent(keyExpr = "#p0")
    CompletableFuture<Order> later(String key) {
      runs.incrementAndGet();
      return CompletableFuture.completedFuture(new Order("o-a", BigDecimal.TEN, Instant.EPOCH));
    }

    @Idempotent(keyExpr = "#p0")
    long count(String key) {
      return runs.incrementAndGet();
    }

    @Idempotent(keyExpr = "#p0", recordExceptions = PaymentDeclined.class)
    String pay(String key, boolean fraud) {
      runs.incrementAndGet();
      throw fraud
          ? new FraudSuspected("velocity check")
          : new PaymentDeclined("insufficient funds");
    }

    @Idempotent(keyExpr = "#p0")
    String plain(String key) {
      runs.incrementAndGet();
      return "plain";
    }
  }

  private final RecordingStore store = new RecordingStore(false);
  private final Calls calls = new Calls(IdempotencyEngine.builder().store(store).build());
  private final Shop shop = new Shop();

  private void assertReplayedEqual(String method, Object... args) throws Throwable {
    Object first = calls.call(shop, method, args);
    Object second = calls.call(shop, method, args);
    assertEquals(first, second);
    assertEquals(1, shop.runs.get());
    assertEquals(Outcome.Form.ENCODED, store.completed.get(0).form());
    if (first != null && !(first instanceof Optional) && !(first instanceof Number)) {
      assertNotSame(first, second, "decoded from bytes, not the same instance");
    }
  }

  @Test
  void listOfRecordsRoundTrips() throws Throwable {
    assertReplayedEqual("orders", "k");
  }

  @Test
  void mapOfBigDecimalsRoundTripsWithScale() throws Throwable {
    assertReplayedEqual("totals", "k");
    @SuppressWarnings("unchecked")
    Map<String, BigDecimal> replay = (Map<String, BigDecimal>) calls.call(shop, "totals", "k");
    assertEquals(2, replay.get("EUR").scale());
  }

  @Test
  void optionalRoundTripsPresentAndEmpty() throws Throwable {
    assertReplayedEqual("maybe", "a", true);
    assertEquals(Optional.empty(), calls.call(shop, "maybe", "b", false));
    assertEquals(Optional.empty(), calls.call(shop, "maybe", "b", false));
  }

  @Test
  void instantRoundTripsToTheMicrosecond() throws Throwable {
    assertReplayedEqual("when", "k");
  }

  @Test
  void completableFutureRoundTrips() throws Throwable {
    CompletableFuture<?> first = (CompletableFuture<?>) calls.call(shop, "later", "k");
    CompletableFuture<?> second = (CompletableFuture<?>) calls.call(shop, "later", "k");
    assertEquals(first.get(5, TimeUnit.SECONDS), second.get(5, TimeUnit.SECONDS));
    assertEquals(1, shop.runs.get());
  }

  @Test
  void primitiveRoundTrips() throws Throwable {
    assertEquals(1L, calls.call(shop, "count", "k"));
    assertEquals(1L, calls.call(shop, "count", "k"));
  }

  @Test
  void recordedExceptionIsRebuiltWithItsTypeAndMessage() {
    PaymentDeclined first =
        assertThrows(PaymentDeclined.class, () -> calls.call(shop, "pay", "a", false));
    PaymentDeclined replay =
        assertThrows(PaymentDeclined.class, () -> calls.call(shop, "pay", "a", false));
    assertEquals(PaymentDeclined.class, replay.getClass());
    assertEquals("insufficient funds", replay.getMessage());
    assertNotSame(first, replay);
    FraudSuspected sub =
        assertThrows(FraudSuspected.class, () -> calls.call(shop, "pay", "b", true));
    FraudSuspected subReplay =
        assertThrows(FraudSuspected.class, () -> calls.call(shop, "pay", "b", true));
    assertEquals(sub.getMessage(), subReplay.getMessage());
    assertEquals(2, shop.runs.get());
  }

  @Test
  void corruptRecordIsAStoreExceptionNamingTheNamespace() throws Throwable {
    String namespace = Shop.class.getName() + ".plain(java.lang.String)";
    IdempotencyKey key = IdempotencyKey.of(namespace, "k");
    Acquisition a = store.acquire(key, null, Duration.ofMinutes(1));
    store.complete(
        key,
        a.token(),
        Outcome.encoded("{\"v\": [1, 2".getBytes(StandardCharsets.UTF_8)),
        Duration.ofHours(1));
    IdempotencyStoreException e =
        assertThrows(IdempotencyStoreException.class, () -> calls.call(shop, "plain", "k"));
    assertTrue(e.getMessage().contains("namespace '" + namespace + "'"), e.getMessage());
    assertTrue(e.getMessage().contains("cannot be decoded"), e.getMessage());
    assertEquals(0, shop.runs.get());
  }

  @Test
  void recordNamingAForeignExceptionClassIsRefusedNotInstantiated() throws Throwable {
    String namespace = Shop.class.getName() + ".pay(java.lang.String,boolean)";
    IdempotencyKey key = IdempotencyKey.of(namespace, "k");
    Acquisition a = store.acquire(key, null, Duration.ofMinutes(1));
    store.complete(
        key,
        a.token(),
        Outcome.encoded(
            "{\"x\":\"java.lang.ProcessBuilder\",\"m\":\"rm -rf\"}"
                .getBytes(StandardCharsets.UTF_8)),
        Duration.ofHours(1));
    IdempotencyStoreException e =
        assertThrows(IdempotencyStoreException.class, () -> calls.call(shop, "pay", "k", false));
    assertTrue(e.getMessage().contains("not among recordExceptions"), e.getMessage());
  }

  @Test
  void recordOfTheWrongShapeIsAStoreException() throws Throwable {
    String namespace = Shop.class.getName() + ".orders(java.lang.String)";
    IdempotencyKey key = IdempotencyKey.of(namespace, "k");
    Acquisition a = store.acquire(key, null, Duration.ofMinutes(1));
    store.complete(
        key,
        a.token(),
        Outcome.encoded("{\"v\":{\"not\":\"a list\"}}".getBytes(StandardCharsets.UTF_8)),
        Duration.ofHours(1));
    IdempotencyStoreException e =
        assertThrows(IdempotencyStoreException.class, () -> calls.call(shop, "orders", "k"));
    assertTrue(e.getMessage().contains(namespace), e.getMessage());
  }

  @Test
  void nullResultRoundTrips() throws Throwable {
    NullShop nulls = new NullShop();
    assertNull(calls.call(nulls, "nothing", "k"));
    assertNull(calls.call(nulls, "nothing", "k"));
    assertEquals(1, nulls.runs.get());
  }

  static final class NullShop {
    final AtomicInteger runs = new AtomicInteger();

    @Idempotent(keyExpr = "#p0")
    Order nothing(String key) {
      runs.incrementAndGet();
      return null;
    }
  }
}
