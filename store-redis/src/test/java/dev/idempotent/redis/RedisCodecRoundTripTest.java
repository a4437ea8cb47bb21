package dev.idempotent.redis;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.idempotent.IdempotencyDefinitionException;
import dev.idempotent.IdempotencyEngine;
import dev.idempotent.IdempotencyOutcomeNotRecordedException;
import dev.idempotent.IdempotencyStoreException;
import dev.idempotent.Idempotent;
import dev.idempotent.InFlight;
import dev.idempotent.Invocation;
import dev.idempotent.store.IdempotencyKey;
import dev.idempotent.testing.CodecFixtures.LimitReachedException;
import dev.idempotent.testing.CodecFixtures.NoProperties;
import dev.idempotent.testing.CodecFixtures.Unwritable;
import io.lettuce.core.api.sync.RedisCommands;
import java.lang.reflect.Method;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Outcomes cross the wire through the engine's codec: written by one engine and store, replayed by
 * another engine with its own store and connection (as another process would), decoded into the
 * method's generic return type. A record that cannot be decoded fails closed, naming the namespace.
 */
class RedisCodecRoundTripTest {
  private static final String PREFIX = SharedRedis.uniquePrefix();

  private static SharedRedis.Session session;
  private static RedisCommands<byte[], byte[]> redis;

  private RedisIdempotencyStore writerStore;
  private RedisIdempotencyStore readerStore;
  private IdempotencyEngine writer;
  private IdempotencyEngine reader;
  private final AtomicInteger bodies = new AtomicInteger();
  private final Map<String, String> namespaces = new ConcurrentHashMap<>();

  /** A result with nested generic, java.time and BigDecimal parts. */
  record Order(String id, BigDecimal amount, Instant placedAt, List<String> items, Status status) {}

  enum Status {
    PLACED,
    SHIPPED
  }

  /** A recorded exception type: public, with a message constructor. */
  public static class Declined extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public Declined(String message) {
      super(message);
    }
  }

  /** The receipt as one version of the application wrote it. */
  record Receipt(String id, long cents, Instant at) {}

  /** The same namespace's receipt after a deploy that changed the type. */
  record ReceiptV2(String number, BigDecimal total, String currency) {}

  /**
   * The annotated methods whose results are recorded. Their bodies are never called directly: each
   * test passes the body it wants to {@code engine.invoke}, as an adapter would.
   */
  static class Orders {
    @Idempotent(keyExpr = "#id")
    List<Order> list(String id) {
      throw new UnsupportedOperationException("called through the engine only");
    }

    @Idempotent(keyExpr = "#id")
    Map<String, BigDecimal> totals(String id) {
      throw new UnsupportedOperationException("called through the engine only");
    }

    @Idempotent(keyExpr = "#id")
    Order order(String id) {
      throw new UnsupportedOperationException("called through the engine only");
    }

    @Idempotent(keyExpr = "#id")
    Optional<Order> maybe(String id) {
      throw new UnsupportedOperationException("called through the engine only");
    }

    @Idempotent(keyExpr = "#id")
    Instant placedAt(String id) {
      throw new UnsupportedOperationException("called through the engine only");
    }

    @Idempotent(keyExpr = "#id", recordExceptions = Declined.class)
    Order charge(String id) {
      throw new UnsupportedOperationException("called through the engine only");
    }

    @Idempotent(keyExpr = "#id", namespace = "codec.corruptible")
    List<Order> corruptible(String id) {
      throw new UnsupportedOperationException("called through the engine only");
    }

    @Idempotent(keyExpr = "#id", recordExceptions = IllegalStateException.class)
    String decline(String id) {
      throw new UnsupportedOperationException("called through the engine only");
    }

    @Idempotent(keyExpr = "#id", onInFlight = InFlight.REJECT, lease = "1s")
    Unwritable unwritable(String id) {
      throw new UnsupportedOperationException("called through the engine only");
    }

    @Idempotent(keyExpr = "#id")
    NoProperties noProperties(String id) {
      throw new UnsupportedOperationException("called through the engine only");
    }

    @Idempotent(keyExpr = "#id", namespace = "codec.receipt")
    Receipt receipt(String id) {
      throw new UnsupportedOperationException("called through the engine only");
    }

    @Idempotent(keyExpr = "#id")
    Instant stamp(String id) {
      throw new UnsupportedOperationException("called through the engine only");
    }
  }

  /** The class after the deploy: same namespace, new result type. */
  static class OrdersV2 {
    @Idempotent(keyExpr = "#id", namespace = "codec.receipt")
    ReceiptV2 receipt(String id) {
      throw new UnsupportedOperationException("called through the engine only");
    }
  }

  @BeforeAll
  static void connect() {
    session = SharedRedis.open(PREFIX);
    redis = session.redis;
  }

  @AfterAll
  static void deleteKeysAndDisconnect() {
    session.close();
  }

  @BeforeEach
  void createEngines() {
    writerStore = RedisIdempotencyStore.builder(SharedRedis.URI).keyPrefix(PREFIX).build();
    readerStore = RedisIdempotencyStore.builder(SharedRedis.URI).keyPrefix(PREFIX).build();
    writer =
        IdempotencyEngine.builder()
            .store(writerStore)
            .listener(event -> namespaces.put(methodName(event.namespace()), event.namespace()))
            .build();
    reader = IdempotencyEngine.builder().store(readerStore).build();
  }

  @AfterEach
  void closeStores() {
    writerStore.close();
    readerStore.close();
  }

  @Test
  void listOfRecordsReplaysAsRecords() throws Throwable {
    List<Order> orders = List.of(order("a", "10.50"), order("b", "0.001"));
    Object replayed = roundTrip("list", orders);
    assertEquals(orders, replayed);
    assertInstanceOf(Order.class, ((List<?>) replayed).get(0));
  }

  @Test
  void mapOfBigDecimalsKeepsScale() throws Throwable {
    Map<String, BigDecimal> totals = new LinkedHashMap<>();
    totals.put("EUR", new BigDecimal("10.50"));
    totals.put("JPY", new BigDecimal("1200"));
    totals.put("BTC", new BigDecimal("0.00000001"));
    Object replayed = roundTrip("totals", totals);
    assertEquals(totals, replayed);
    assertInstanceOf(BigDecimal.class, ((Map<?, ?>) replayed).get("EUR"));
  }

  @Test
  void recordWithInstantEnumAndListReplaysEqual() throws Throwable {
    Order order = order("c", "99.99");
    assertEquals(order, roundTrip("order", order));
  }

  @Test
  void presentOptionalReplaysPresent() throws Throwable {
    Optional<Order> present = Optional.of(order("d", "1.00"));
    assertEquals(present, roundTrip("maybe", present));
  }

  @Test
  void emptyOptionalReplaysEmpty() throws Throwable {
    assertEquals(Optional.empty(), roundTrip("maybe", Optional.empty()));
  }

  @Test
  void instantKeepsNanoseconds() throws Throwable {
    Instant instant = Instant.parse("2026-11-28T10:15:30.123456789Z");
    assertEquals(instant, roundTrip("placedAt", instant));
  }

  @Test
  void recordedExceptionIsThrownAgainInTheOtherProcess() throws Throwable {
    Declined replayed = throwThenReplay("charge", new Declined("card declined"));
    assertEquals("card declined", replayed.getMessage());
    assertEquals(1, bodies.get());
  }

  @Test
  void outcomeThatIsNotJsonFailsClosedNamingTheNamespace() throws Throwable {
    assertCorruptOutcomeFailsClosed(new byte[] {(byte) 0xff, 0x00, '{', 'x'});
  }

  @Test
  void outcomeOfAnIncompatibleShapeFailsClosedNamingTheNamespace() throws Throwable {
    assertCorruptOutcomeFailsClosed("{\"v\":\"a string, not a list\"}".getBytes(UTF_8));
  }

  @Test
  void outcomeWithNeitherValueNorExceptionFailsClosedNamingTheNamespace() throws Throwable {
    assertCorruptOutcomeFailsClosed("{\"q\":1}".getBytes(UTF_8));
  }

  @Test
  void redisValueOfTheWrongTypeFailsClosedNamingTheNamespace() throws Throwable {
    Method method = Orders.class.getDeclaredMethod("corruptible", String.class);
    String id = UUID.randomUUID().toString();
    redis.rpush(redisKey("codec.corruptible", id), "not a record".getBytes(UTF_8));
    IdempotencyStoreException e =
        assertThrows(
            IdempotencyStoreException.class,
            () -> reader.invoke(method, new Object[] {id}, bodyMustNotRun()));
    assertTrue(e.getMessage().contains("namespace 'codec.corruptible'"), e.getMessage());
    assertTrue(e.getMessage().contains("not a hash"), e.getMessage());
    assertEquals(0, bodies.get());
  }

  /**
   * Before, the writer's caller got IdempotencyStoreException after the body ran, the record stayed
   * in progress, and a retry after the lease ran the body again.
   */
  @Test
  void resultThatCannotBeRecordedIsReturnedOnceAndNeverRunsTheBodyAgain() throws Throwable {
    Method method = Orders.class.getDeclaredMethod("unwritable", String.class);
    String id = UUID.randomUUID().toString();
    Object first =
        writer.invoke(
            method,
            new Object[] {id},
            () -> {
              bodies.incrementAndGet();
              return new Unwritable();
            });
    assertInstanceOf(Unwritable.class, first);
    assertTrue(redis.pttl(redisKey(namespaces.get("unwritable"), id)) > 60_000, "kept for its ttl");
    IdempotencyOutcomeNotRecordedException duplicate =
        assertThrows(
            IdempotencyOutcomeNotRecordedException.class,
            () -> reader.invoke(method, new Object[] {id}, bodyMustNotRun()));
    assertTrue(duplicate.getMessage().contains(Unwritable.class.getName()), duplicate.getMessage());
    assertEquals(1, bodies.get());
  }

  @Test
  void resultThatCannotBeRecordedIsRefusedByCheckOnARedisEngine() throws Exception {
    Method method = Orders.class.getDeclaredMethod("noProperties", String.class);
    IdempotencyDefinitionException e =
        assertThrows(IdempotencyDefinitionException.class, () -> reader.check(method));
    assertTrue(e.getMessage().contains("has no properties Jackson can write"), e.getMessage());
  }

  /**
   * Before, the new type decoded the old record as {@code ReceiptV2[null, null, null]}: unknown
   * properties were ignored and missing ones left empty.
   */
  @Test
  void recordWrittenForAnEarlierResultTypeFailsClosedAfterADeploy() throws Throwable {
    String id = UUID.randomUUID().toString();
    writer.invoke(
        Orders.class.getDeclaredMethod("receipt", String.class),
        new Object[] {id},
        () -> new Receipt("r-secret", 1250, Instant.parse("2026-11-30T10:00:00Z")));
    Method afterDeploy = OrdersV2.class.getDeclaredMethod("receipt", String.class);
    IdempotencyStoreException e =
        assertThrows(
            IdempotencyStoreException.class,
            () -> reader.invoke(afterDeploy, new Object[] {id}, bodyMustNotRun()));
    assertTrue(e.getMessage().contains("namespace 'codec.receipt'"), e.getMessage());
    assertFalse(e.getMessage().contains("r-secret"), e.getMessage());
    assertEquals(0, bodies.get());
  }

  @Test
  void plantedClassNameInAValueFailsClosed() throws Throwable {
    Method method = Orders.class.getDeclaredMethod("receipt", String.class);
    String id = UUID.randomUUID().toString();
    writer.invoke(method, new Object[] {id}, () -> new Receipt("r", 1, Instant.EPOCH));
    redis.hset(
        redisKey("codec.receipt", id),
        "o".getBytes(UTF_8),
        "{\"v\":{\"@class\":\"java.lang.ProcessBuilder\",\"id\":\"r\",\"cents\":1,\"at\":\"1970-01-01T00:00:00Z\"}}"
            .getBytes(UTF_8));
    assertThrows(
        IdempotencyStoreException.class,
        () -> reader.invoke(method, new Object[] {id}, bodyMustNotRun()));
    assertEquals(0, bodies.get());
  }

  @Test
  void instantOutOfRangeFailsClosedInsteadOfReplayingTheEpoch() throws Throwable {
    Method method = Orders.class.getDeclaredMethod("stamp", String.class);
    String id = UUID.randomUUID().toString();
    writer.invoke(method, new Object[] {id}, () -> Instant.parse("2026-11-30T10:00:00Z"));
    redis.hset(
        redisKey(namespaces.get("stamp"), id),
        "o".getBytes(UTF_8),
        "{\"v\":1e999999999}".getBytes(UTF_8));
    assertThrows(
        IdempotencyStoreException.class,
        () -> reader.invoke(method, new Object[] {id}, bodyMustNotRun()));
    assertEquals(0, bodies.get());
  }

  /**
   * Before, the subclass was loaded through the JDK type's (bootstrap) loader, which cannot see it,
   * and the other process got IdempotencyStoreException instead of the recorded exception.
   */
  @Test
  void recordedApplicationSubclassOfAJdkExceptionKeepsItsTypeInTheOtherProcess() throws Throwable {
    LimitReachedException replayed =
        throwThenReplay("decline", new LimitReachedException("limit reached"));
    assertEquals("limit reached", replayed.getMessage());
    assertEquals(1, bodies.get());
  }

  /**
   * Runs the method once through the writer with a body that throws {@code thrown}, then replays it
   * through the reader.
   *
   * @return the exception the replay threw, of the same class as {@code thrown}
   */
  @SuppressWarnings("unchecked")
  private <E extends Throwable> E throwThenReplay(String methodName, E thrown) throws Exception {
    Method method = Orders.class.getDeclaredMethod(methodName, String.class);
    String id = UUID.randomUUID().toString();
    assertThrows(
        thrown.getClass(),
        () ->
            writer.invoke(
                method,
                new Object[] {id},
                () -> {
                  bodies.incrementAndGet();
                  throw thrown;
                }));
    return (E)
        assertThrows(
            thrown.getClass(), () -> reader.invoke(method, new Object[] {id}, bodyMustNotRun()));
  }

  /** Runs the method once through the writer, then replays it through the reader. */
  private Object roundTrip(String methodName, Object result) throws Throwable {
    Method method = Orders.class.getDeclaredMethod(methodName, String.class);
    String id = UUID.randomUUID().toString();
    Object first =
        writer.invoke(
            method,
            new Object[] {id},
            () -> {
              bodies.incrementAndGet();
              return result;
            });
    assertEquals(result, first);
    Object replayed = reader.invoke(method, new Object[] {id}, bodyMustNotRun());
    assertEquals(1, bodies.get(), "the body ran once across both engines");
    System.out.println(
        "codec: "
            + methodName
            + " -> "
            + new String(readerStoreOutcome(method, id), UTF_8).replaceAll("\\s+", " "));
    return replayed;
  }

  private byte[] readerStoreOutcome(Method method, String id) {
    String namespace = namespaces.get(method.getName());
    return redis.hget(redisKey(namespace, id), "o".getBytes(UTF_8));
  }

  private void assertCorruptOutcomeFailsClosed(byte[] outcome) throws Throwable {
    Method method = Orders.class.getDeclaredMethod("corruptible", String.class);
    String id = UUID.randomUUID().toString();
    writer.invoke(method, new Object[] {id}, () -> List.of(order("e", "5")));
    redis.hset(redisKey("codec.corruptible", id), "o".getBytes(UTF_8), outcome);
    IdempotencyStoreException e =
        assertThrows(
            IdempotencyStoreException.class,
            () -> reader.invoke(method, new Object[] {id}, bodyMustNotRun()));
    assertTrue(e.getMessage().contains("namespace 'codec.corruptible'"), e.getMessage());
    assertEquals(0, bodies.get());
  }

  private Invocation bodyMustNotRun() {
    return () -> {
      bodies.incrementAndGet();
      throw new AssertionError("a duplicate ran the body");
    };
  }

  /** The method name inside a default namespace ("...Orders.list(java.lang.String)"). */
  private static String methodName(String namespace) {
    String signature = namespace.substring(0, namespace.indexOf('('));
    return signature.substring(signature.lastIndexOf('.') + 1);
  }

  private static byte[] redisKey(String namespace, String value) {
    return (PREFIX + IdempotencyKey.of(namespace, value).asString()).getBytes(UTF_8);
  }

  private static Order order(String id, String amount) {
    return new Order(
        id,
        new BigDecimal(amount),
        Instant.parse("2026-11-28T10:15:30.5Z"),
        List.of("sku-1", "sku-2"),
        Status.PLACED);
  }
}
