package dev.idempotent.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import dev.idempotent.IdempotencyDefinitionException;
import dev.idempotent.IdempotencyEngine;
import dev.idempotent.IdempotencyOutcomeNotRecordedException;
import dev.idempotent.IdempotencyStoreException;
import dev.idempotent.Idempotent;
import dev.idempotent.InFlight;
import dev.idempotent.testing.CodecFixtures.LimitReachedException;
import dev.idempotent.testing.CodecFixtures.NoProperties;
import dev.idempotent.testing.CodecFixtures.Unwritable;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Outcomes cross the database as the engine's codec writes them and decode into each method's
 * generic return type; a record that does not decode fails closed, naming its namespace. Each
 * replay comes from a second engine over the same table, as it would in another JVM.
 */
class CodecRoundTripTest {
  record Order(String id, BigDecimal amount, Instant placedAt) {}

  record Receipt(String id, List<Order> orders, Map<String, BigDecimal> totals) {}

  /** Thrown by a body and recorded as part of the outcome. */
  public static class DeclinedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DeclinedException(String message) {
      super(message);
    }
  }

  /** The same namespace's receipt after a deploy that changed the type. */
  record ReceiptV2(String number, BigDecimal total, String currency) {}

  /** The class after the deploy: the receipt method's namespace, a new result type. */
  static class ShopV2 {
    @Idempotent(keyExpr = "#id", namespace = "jdbc.codec.receipt")
    public ReceiptV2 receipt(String id) {
      throw new AssertionError("a replay ran the body");
    }
  }

  static final Instant PLACED = Instant.parse("2026-11-28T10:15:30.123456Z");
  static final List<Order> ORDERS =
      List.of(
          new Order("o-1", new BigDecimal("10.50"), PLACED),
          new Order("o-2", new BigDecimal("0.005"), PLACED.plusSeconds(1)));
  static final Map<String, BigDecimal> TOTALS = totals();

  private static Map<String, BigDecimal> totals() {
    Map<String, BigDecimal> totals = new LinkedHashMap<>();
    totals.put("EUR", new BigDecimal("10.50"));
    totals.put("CHF", new BigDecimal("1234567890.123456789"));
    return totals;
  }

  /** The annotated methods; each counts its executions. */
  static class Shop {
    final AtomicInteger executions = new AtomicInteger();

    @Idempotent(keyExpr = "#id")
    public List<Order> orders(String id) {
      executions.incrementAndGet();
      return ORDERS;
    }

    @Idempotent(keyExpr = "#id")
    public Map<String, BigDecimal> totals(String id) {
      executions.incrementAndGet();
      return TOTALS;
    }

    @Idempotent(keyExpr = "#id")
    public Receipt receipt(String id) {
      executions.incrementAndGet();
      return new Receipt(id, ORDERS, TOTALS);
    }

    @Idempotent(keyExpr = "#id")
    public Optional<Receipt> find(String id, boolean present) {
      executions.incrementAndGet();
      return present ? Optional.of(new Receipt(id, List.of(), Map.of())) : Optional.empty();
    }

    @Idempotent(keyExpr = "#id")
    public Instant stamp(String id) {
      executions.incrementAndGet();
      return PLACED;
    }

    @Idempotent(keyExpr = "#id", recordExceptions = DeclinedException.class)
    public String charge(String id) {
      executions.incrementAndGet();
      throw new DeclinedException("card declined for " + id);
    }

    @Idempotent(keyExpr = "#id", recordExceptions = IllegalStateException.class)
    public String limit(String id) {
      executions.incrementAndGet();
      throw new LimitReachedException("limit reached");
    }

    @Idempotent(keyExpr = "#id", onInFlight = InFlight.REJECT, lease = "1s")
    public Unwritable unwritable(String id) {
      executions.incrementAndGet();
      return new Unwritable();
    }

    @Idempotent(keyExpr = "#id")
    public NoProperties noProperties(String id) {
      executions.incrementAndGet();
      return new NoProperties();
    }

    @Idempotent(keyExpr = "#id", namespace = "jdbc.codec.receipt")
    public Receipt versioned(String id) {
      executions.incrementAndGet();
      return new Receipt("r-secret", ORDERS, TOTALS);
    }
  }

  private HikariDataSource pool;
  private String table;

  @AfterEach
  void dropTable() throws Exception {
    TestDatabase.drop(pool, table);
    pool.close();
  }

  private static Method method(String name) {
    for (Method m : Shop.class.getMethods()) {
      if (m.getName().equals(name)) {
        return m;
      }
    }
    throw new IllegalArgumentException(name);
  }

  private static Object call(IdempotencyEngine engine, Shop shop, String name, Object... args)
      throws Throwable {
    Method m = method(name);
    return engine.invoke(
        m,
        args,
        () -> {
          try {
            return m.invoke(shop, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }

  @ParameterizedTest
  @EnumSource(
      value = TestDatabase.class,
      names = {"POSTGRESQL", "MARIADB"})
  void genericReturnTypesRoundTripThroughTheTable(TestDatabase database) throws Throwable {
    pool = database.pool(4);
    table = TestDatabase.freshTableName("codec");
    try (JdbcIdempotencyStore store = database.store(pool, table).build()) {
      IdempotencyEngine first = IdempotencyEngine.builder().store(store).build();
      IdempotencyEngine second = IdempotencyEngine.builder().store(store).build();
      Shop shop = new Shop();

      Object[][] calls = {
        {"orders", new Object[] {"a"}, ORDERS},
        {"totals", new Object[] {"a"}, TOTALS},
        {"receipt", new Object[] {"a"}, new Receipt("a", ORDERS, TOTALS)},
        {"find", new Object[] {"a", true}, Optional.of(new Receipt("a", List.of(), Map.of()))},
        {"find", new Object[] {"b", false}, Optional.empty()},
        {"stamp", new Object[] {"a"}, PLACED},
      };
      for (Object[] c : calls) {
        String name = (String) c[0];
        Object[] args = (Object[]) c[1];
        assertEquals(c[2], call(first, shop, name, args), name + " first call");
        assertEquals(c[2], call(second, shop, name, args), name + " replay");
      }
      assertEquals(calls.length, shop.executions.get(), "each body ran once");

      @SuppressWarnings("unchecked")
      List<Order> replayed = (List<Order>) call(second, shop, "orders", "a");
      assertInstanceOf(Order.class, replayed.get(0));
      assertEquals(new BigDecimal("10.50"), replayed.get(0).amount(), "scale kept");
      @SuppressWarnings("unchecked")
      Map<String, BigDecimal> totals = (Map<String, BigDecimal>) call(second, shop, "totals", "a");
      assertEquals(List.copyOf(TOTALS.keySet()), List.copyOf(totals.keySet()), "order kept");

      DeclinedException thrown =
          assertThrows(DeclinedException.class, () -> call(first, shop, "charge", "c"));
      DeclinedException replayedException =
          assertThrows(DeclinedException.class, () -> call(second, shop, "charge", "c"));
      assertEquals(thrown.getMessage(), replayedException.getMessage());
      assertEquals(calls.length + 1, shop.executions.get());
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = TestDatabase.class,
      names = {"POSTGRESQL", "MARIADB"})
  void aRecordThatDoesNotDecodeFailsClosedNamingItsNamespace(TestDatabase database)
      throws Throwable {
    pool = database.pool(4);
    table = TestDatabase.freshTableName("corrupt");
    try (JdbcIdempotencyStore store = database.store(pool, table).build()) {
      IdempotencyEngine engine = IdempotencyEngine.builder().store(store).build();
      Shop shop = new Shop();
      call(engine, shop, "receipt", "garbled");
      call(engine, shop, "orders", "wrong-shape");
      String receiptNamespace = namespaceOf("garbled");
      String ordersNamespace = namespaceOf("wrong-shape");

      corrupt("garbled", "\u0000\u00ff not json {".getBytes(StandardCharsets.ISO_8859_1));
      corrupt("wrong-shape", "{\"v\":\"a string, not a list\"}".getBytes(StandardCharsets.UTF_8));

      IdempotencyStoreException garbled =
          assertThrows(
              IdempotencyStoreException.class, () -> call(engine, shop, "receipt", "garbled"));
      assertTrue(garbled.getMessage().contains(receiptNamespace), garbled.getMessage());
      IdempotencyStoreException wrongShape =
          assertThrows(
              IdempotencyStoreException.class, () -> call(engine, shop, "orders", "wrong-shape"));
      assertTrue(wrongShape.getMessage().contains(ordersNamespace), wrongShape.getMessage());
      assertEquals(2, shop.executions.get(), "no body ran for a corrupt record");
      System.out.printf("corrupt record on %s: %s%n", database, garbled.getMessage());
    }
  }

  /**
   * Before, the caller got IdempotencyStoreException after the body ran, the row stayed in
   * progress, and a retry after the lease ran the body again.
   */
  @ParameterizedTest
  @EnumSource(
      value = TestDatabase.class,
      names = {"POSTGRESQL", "MARIADB"})
  void resultThatCannotBeRecordedIsReturnedOnceAndNeverRunsTheBodyAgain(TestDatabase database)
      throws Throwable {
    withTwoEngines(
        database,
        "unrecordable",
        (first, second) -> {
          Shop shop = new Shop();
          assertInstanceOf(Unwritable.class, call(first, shop, "unwritable", "u"));
          IdempotencyOutcomeNotRecordedException duplicate =
              assertThrows(
                  IdempotencyOutcomeNotRecordedException.class,
                  () -> call(second, shop, "unwritable", "u"));
          assertTrue(
              duplicate.getMessage().contains(Unwritable.class.getName()), duplicate.getMessage());
          assertEquals(1, shop.executions.get());
          assertThrows(
              IdempotencyDefinitionException.class, () -> second.check(method("noProperties")));
        });
  }

  /**
   * Before, the new type decoded the old row as {@code ReceiptV2[null, null, null]}: unknown
   * properties were ignored and missing ones left empty.
   */
  @ParameterizedTest
  @EnumSource(
      value = TestDatabase.class,
      names = {"POSTGRESQL", "MARIADB"})
  void recordWrittenForAnEarlierResultTypeFailsClosedAfterADeploy(TestDatabase database)
      throws Throwable {
    withTwoEngines(
        database,
        "deploy",
        (before, after) -> {
          call(before, new Shop(), "versioned", "r");
          Method receiptV2 = ShopV2.class.getMethod("receipt", String.class);
          IdempotencyStoreException e =
              assertThrows(
                  IdempotencyStoreException.class,
                  () ->
                      after.invoke(
                          receiptV2, new Object[] {"r"}, () -> new ReceiptV2(null, null, null)));
          assertTrue(e.getMessage().contains("namespace 'jdbc.codec.receipt'"), e.getMessage());
          assertFalse(e.getMessage().contains("r-secret"), e.getMessage());
        });
  }

  /**
   * Before, the subclass was loaded through the JDK type's (bootstrap) loader, which cannot see it,
   * and the replay failed with IdempotencyStoreException.
   */
  @ParameterizedTest
  @EnumSource(
      value = TestDatabase.class,
      names = {"POSTGRESQL", "MARIADB"})
  void recordedApplicationSubclassOfAJdkExceptionKeepsItsType(TestDatabase database)
      throws Throwable {
    withTwoEngines(
        database,
        "subclass",
        (first, second) -> {
          Shop shop = new Shop();
          assertThrows(LimitReachedException.class, () -> call(first, shop, "limit", "l"));
          LimitReachedException replayed =
              assertThrows(LimitReachedException.class, () -> call(second, shop, "limit", "l"));
          assertEquals("limit reached", replayed.getMessage());
          assertEquals(1, shop.executions.get());
        });
  }

  /** What a test does with two engines over one table, as two processes would. */
  interface TwoEngines {
    void run(IdempotencyEngine first, IdempotencyEngine second) throws Throwable;
  }

  private void withTwoEngines(TestDatabase database, String tablePrefix, TwoEngines test)
      throws Throwable {
    pool = database.pool(4);
    table = TestDatabase.freshTableName(tablePrefix);
    try (JdbcIdempotencyStore store = database.store(pool, table).build()) {
      test.run(
          IdempotencyEngine.builder().store(store).build(),
          IdempotencyEngine.builder().store(store).build());
    }
  }

  private String namespaceOf(String keyValue) throws Exception {
    try (Connection c = pool.getConnection();
        PreparedStatement ps =
            c.prepareStatement("SELECT namespace FROM " + table + " WHERE key_value = ?")) {
      ps.setString(1, keyValue);
      try (var rs = ps.executeQuery()) {
        assertTrue(rs.next());
        return rs.getString(1);
      }
    }
  }

  private void corrupt(String keyValue, byte[] outcome) throws Exception {
    try (Connection c = pool.getConnection();
        PreparedStatement ps =
            c.prepareStatement("UPDATE " + table + " SET outcome = ? WHERE key_value = ?")) {
      ps.setBytes(1, outcome);
      ps.setString(2, keyValue);
      assertEquals(1, ps.executeUpdate());
    }
  }
}
