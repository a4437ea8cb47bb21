package dev.idempotent.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.idempotent.IdempotencyEngine;
import dev.idempotent.IdempotencyEvent;
import dev.idempotent.IdempotencyOutcomeNotRecordedException;
import dev.idempotent.IdempotencyStoreException;
import dev.idempotent.Idempotent;
import dev.idempotent.InFlight;
import dev.idempotent.store.Acquisition;
import dev.idempotent.store.IdempotencyKey;
import dev.idempotent.store.Outcome;
import dev.idempotent.testing.CodecFixtures.LimitReachedException;
import dev.idempotent.testing.CodecFixtures.Unwritable;
import java.lang.reflect.Method;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

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

  public record Receipt(String id, long cents, Instant at) {}

  static final AtomicBoolean INITIALISED = new AtomicBoolean();

  /** Notes when its class is initialised, which a record naming it must never cause. */
  public static class Initialising extends RuntimeException {
    private static final long serialVersionUID = 1L;

    static {
      INITIALISED.set(true);
    }

    public Initialising(String message) {
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

    @Idempotent(keyExpr = "#p0", onInFlight = InFlight.REJECT)
    Unwritable unwritable(String key) {
      runs.incrementAndGet();
      return new Unwritable();
    }

    @Idempotent(keyExpr = "#p0", onInFlight = InFlight.REJECT)
    CompletableFuture<Unwritable> unwritableLater(String key) {
      runs.incrementAndGet();
      return CompletableFuture.completedFuture(new Unwritable());
    }

    @Idempotent(keyExpr = "#p0")
    Receipt receipt(String key) {
      runs.incrementAndGet();
      return new Receipt(key, 1250, Instant.EPOCH);
    }

    @Idempotent(keyExpr = "#p0")
    Duration duration(String key) {
      runs.incrementAndGet();
      return Duration.ofSeconds(1);
    }

    @Idempotent(keyExpr = "#p0", recordExceptions = IllegalStateException.class)
    String decline(String key) {
      runs.incrementAndGet();
      throw new LimitReachedException("declined: limit reached");
    }
  }

  private final RecordingStore store = new RecordingStore(false);
  private final List<IdempotencyEvent> events = new CopyOnWriteArrayList<>();
  private final Calls calls =
      new Calls(IdempotencyEngine.builder().store(store).listener(events::add).build());
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

  /**
   * Before, the codec's failure escaped as IdempotencyStoreException after the body ran, the record
   * stayed in progress, and a retry after the lease ran the body again.
   */
  @Test
  void resultThatCannotBeRecordedIsReturnedAndItsDuplicatesNeverRunTheBody() throws Throwable {
    Object first = calls.call(shop, "unwritable", "k");
    assertInstanceOf(Unwritable.class, first);
    IdempotencyOutcomeNotRecordedException duplicate =
        assertThrows(
            IdempotencyOutcomeNotRecordedException.class,
            () -> calls.call(shop, "unwritable", "k"));
    assertTrue(duplicate.getMessage().contains(namespace("unwritable")), duplicate.getMessage());
    assertTrue(duplicate.getMessage().contains(Unwritable.class.getName()), duplicate.getMessage());
    assertThrows(
        IdempotencyOutcomeNotRecordedException.class, () -> calls.call(shop, "unwritable", "k"));
    assertEquals(1, shop.runs.get(), "the body ran once");
    assertTrue(
        events.stream().anyMatch(e -> e.type() == IdempotencyEvent.Type.STORE_FAILURE),
        events.toString());
  }

  @Test
  void asyncResultThatCannotBeRecordedCompletesAndItsDuplicatesNeverRunTheBody() throws Throwable {
    CompletableFuture<?> first = (CompletableFuture<?>) calls.call(shop, "unwritableLater", "k");
    assertInstanceOf(Unwritable.class, first.get(5, TimeUnit.SECONDS));
    CompletableFuture<?> duplicate =
        (CompletableFuture<?>) calls.call(shop, "unwritableLater", "k");
    ExecutionException e =
        assertThrows(ExecutionException.class, () -> duplicate.get(5, TimeUnit.SECONDS));
    assertInstanceOf(IdempotencyOutcomeNotRecordedException.class, e.getCause());
    assertEquals(1, shop.runs.get());
  }

  static Stream<Arguments> recordsThatDoNotDecodeExactly() {
    String at = "\"at\":\"2026-11-30T10:00:00Z\"";
    return Stream.of(
        Arguments.of("receipt", "{\"v\":{\"number\":\"secret-1\",\"total\":12.5}}"),
        Arguments.of(
            "receipt",
            "{\"v\":{\"@class\":\"java.lang.ProcessBuilder\",\"id\":\"secret-1\","
                + "\"cents\":1,"
                + at
                + "}}"),
        Arguments.of("receipt", "{\"v\":{\"id\":\"secret-1\"," + at + "}}"),
        Arguments.of("receipt", "{\"v\":{\"id\":\"secret-1\",\"cents\":null," + at + "}}"),
        Arguments.of("receipt", "{\"v\":{\"id\":\"secret-1\",\"cents\":1.5," + at + "}}"),
        Arguments.of("receipt", "{\"v\":{\"id\":\"secret-1\",\"cents\":\"1\"," + at + "}}"),
        Arguments.of(
            "receipt", "{\"v\":{\"id\":\"secret-1\",\"id\":\"secret-2\",\"cents\":1," + at + "}}"),
        Arguments.of("count", "{\"v\":null}"),
        Arguments.of("count", "{\"v\":1.5}"),
        Arguments.of("count", "{\"v\":99999999999999999999}"),
        Arguments.of("when", "{\"v\":1e999999999}"),
        Arguments.of("when", "{\"v\":-1e-999999999}"),
        Arguments.of("duration", "{\"v\":1e999999999}"),
        Arguments.of("orders", "{\"v\":{\"id\":\"secret-1\"}}"),
        Arguments.of("plain", "{\"v\":\"secret-1\",\"v\":\"secret-2\"}"),
        Arguments.of("plain", "{\"v\":\"secret-1\"} {}"),
        Arguments.of("plain", "{\"v\":\"secret-1\"}secret"));
  }

  /**
   * Before, unknown properties were ignored and missing ones left empty, so a record written for
   * another version of the type replayed as a different value ({@code Receipt[null, 0, null]}), and
   * numbers out of range replayed as zero (the epoch, {@code PT0S}).
   */
  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("recordsThatDoNotDecodeExactly")
  void recordThatDoesNotDecodeExactlyIntoTheReturnTypeFailsClosedWithoutItsData(
      String method, String record) throws Throwable {
    plant(method, record);
    Object[] args = "maybe".equals(method) ? new Object[] {"k", true} : new Object[] {"k"};
    IdempotencyStoreException e =
        assertThrows(IdempotencyStoreException.class, () -> calls.call(shop, method, args));
    assertTrue(e.getMessage().contains("namespace '" + namespace(method) + "'"), e.getMessage());
    assertTrue(e.getMessage().contains("the body did not run"), e.getMessage());
    assertFalse(e.getMessage().contains("secret"), e.getMessage());
    for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
      assertFalse(String.valueOf(cause.getMessage()).contains("secret"), cause.toString());
    }
    assertEquals(0, shop.runs.get());
  }

  @Test
  void recordOfTheSameTypeStillDecodesStrictly() throws Throwable {
    Receipt first = (Receipt) calls.call(shop, "receipt", "k");
    assertEquals(first, calls.call(shop, "receipt", "k"));
    assertEquals(Duration.ofSeconds(1), calls.call(shop, "duration", "d"));
    assertEquals(Duration.ofSeconds(1), calls.call(shop, "duration", "d"));
    assertEquals(2, shop.runs.get());
  }

  /**
   * Before, the recorded class was loaded through the loader of the listed JDK type (the bootstrap
   * loader), which cannot see the application's subclass, and the replay failed.
   */
  @Test
  void recordedApplicationSubclassOfAJdkExceptionReplaysWithItsOwnType() {
    LimitReachedException first =
        assertThrows(LimitReachedException.class, () -> calls.call(shop, "decline", "k"));
    LimitReachedException replay =
        assertThrows(LimitReachedException.class, () -> calls.call(shop, "decline", "k"));
    assertEquals(first.getMessage(), replay.getMessage());
    assertNotSame(first, replay);
    assertEquals(1, shop.runs.get());
  }

  @Test
  void recordNamingAClassOutsideTheRecordedTypesNeverInitialisesIt() throws Throwable {
    plant("decline", "{\"x\":\"" + Initialising.class.getName() + "\",\"m\":\"boom\"}");
    IdempotencyStoreException e =
        assertThrows(IdempotencyStoreException.class, () -> calls.call(shop, "decline", "k"));
    assertTrue(e.getMessage().contains("not among recordExceptions"), e.getMessage());
    assertFalse(INITIALISED.get(), "the class named by the record was initialised");
    assertEquals(0, shop.runs.get());
  }

  private static String namespace(String method) {
    Method m = Calls.find(Shop.class, method);
    StringJoiner params = new StringJoiner(",", "(", ")");
    for (Class<?> type : m.getParameterTypes()) {
      params.add(type.getName());
    }
    return Shop.class.getName() + "." + method + params;
  }

  private void plant(String method, String record) {
    IdempotencyKey key = IdempotencyKey.of(namespace(method), "k");
    Acquisition a = store.acquire(key, null, Duration.ofMinutes(1));
    store.complete(
        key,
        a.token(),
        Outcome.encoded(record.getBytes(StandardCharsets.UTF_8)),
        Duration.ofHours(1));
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
