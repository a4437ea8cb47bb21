package dev.idempotent.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import dev.idempotent.IdempotencyEngine;
import dev.idempotent.IdempotentOperation;
import dev.idempotent.jdbc.JdbcIdempotencyStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The JDBC store on PostgreSQL through the engine against plain JDBC doing the same round trips,
 * one caller, on one HikariCP pool, in the same trial. A hit is one statement for both (the store's
 * acquire statement, which finds the completed record; a {@code SELECT}), a first call two (acquire
 * and complete; {@code INSERT ... ON CONFLICT DO NOTHING} and a compare-and-set {@code UPDATE}).
 * Both tables have the store's layout (the raw one from {@link JdbcIdempotencyStore#ddl}), both key
 * by the SHA-256 of the key, borrow a connection per statement and decode or encode the result with
 * Jackson. Each trial uses tables of its own and drops them at the end.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class JdbcStoreBenchmark {
  private static final long TTL_MICROS = TimeUnit.MINUTES.toMicros(10);
  private static final long LEASE_MICROS = TimeUnit.SECONDS.toMicros(30);
  private static final String NAMESPACE = "orders.place";

  private final ObjectMapper json = new ObjectMapper();
  private HikariDataSource pool;
  private String table;
  private String rawTable;
  private JdbcIdempotencyStore store;
  private IdempotentOperation<Receipt> operation;
  private String rawSelect;
  private String rawInsert;
  private String rawComplete;
  private Keys keys;
  private long sequence;

  /** Creates both tables and primes {@value Keys#COUNT} keys in each for the hit path. */
  @Setup(Level.Trial)
  public void setUp() throws SQLException, IOException {
    String name = StoreServers.uniqueName();
    table = name + "_store";
    rawTable = name + "_raw";
    pool = StoreServers.pool(name, 2);
    store =
        JdbcIdempotencyStore.builder(pool).tableName(table).purgeInterval(Duration.ZERO).build();
    IdempotencyEngine engine = IdempotencyEngine.builder().store(store).build();
    operation = engine.operation(NAMESPACE, Receipt.class).ttl(RedisStoreBenchmark.TTL).build();
    try (Connection connection = pool.getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute(
          JdbcIdempotencyStore.ddl(JdbcIdempotencyStore.Dialect.POSTGRESQL, rawTable));
    }
    rawSelect = "SELECT outcome FROM " + rawTable + " WHERE key_hash = ? AND expires_at > now()";
    rawInsert =
        "INSERT INTO "
            + rawTable
            + " (key_hash, namespace, key_value, token, created_at, expires_at)"
            + " VALUES (?, ?, ?, ?, now(), now() + CAST(? AS BIGINT) * INTERVAL '1 microsecond')"
            + " ON CONFLICT (key_hash) DO NOTHING";
    rawComplete =
        "UPDATE "
            + rawTable
            + " SET outcome = ?, token = NULL,"
            + " expires_at = now() + CAST(? AS BIGINT) * INTERVAL '1 microsecond'"
            + " WHERE key_hash = ? AND token = ? AND expires_at > now()";
    keys = new Keys("order");
    for (PlaceOrder cmd : keys.all()) {
      operation.execute(cmd.id(), () -> Receipt.accept(cmd));
      rawFirstCall(cmd);
    }
  }

  /** Drops this trial's tables and closes the store and the pool. */
  @TearDown(Level.Trial)
  public void tearDown() throws SQLException {
    try {
      store.close();
      StoreServers.dropTables(pool, table, rawTable);
    } finally {
      pool.close();
    }
  }

  /** The primary key both tables use: SHA-256 of the key's text, as the store computes it. */
  private static byte[] keyHash(String id) {
    String key = NAMESPACE.length() + ":" + NAMESPACE + ":" + id;
    try {
      return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  private Receipt rawFirstCall(PlaceOrder cmd) throws SQLException, IOException {
    byte[] hash = keyHash(cmd.id());
    String token = Long.toHexString(ThreadLocalRandom.current().nextLong());
    try (Connection connection = pool.getConnection();
        PreparedStatement insert = connection.prepareStatement(rawInsert)) {
      insert.setBytes(1, hash);
      insert.setString(2, NAMESPACE);
      insert.setString(3, cmd.id());
      insert.setString(4, token);
      insert.setLong(5, LEASE_MICROS);
      if (insert.executeUpdate() != 1) {
        throw new IllegalStateException("a fresh key was taken: " + cmd.id());
      }
    }
    Receipt receipt = Receipt.accept(cmd);
    try (Connection connection = pool.getConnection();
        PreparedStatement complete = connection.prepareStatement(rawComplete)) {
      complete.setBytes(1, json.writeValueAsBytes(receipt));
      complete.setLong(2, TTL_MICROS);
      complete.setBytes(3, hash);
      complete.setString(4, token);
      if (complete.executeUpdate() != 1) {
        throw new IllegalStateException("the raw completion lost its token: " + cmd.id());
      }
    }
    return receipt;
  }

  private PlaceOrder fresh() {
    return PlaceOrder.withId("first-" + sequence++);
  }

  /** A duplicate through the engine: the store's acquire statement finds the completed record. */
  @Benchmark
  public Object engineHit() {
    PlaceOrder cmd = keys.next();
    return operation.execute(cmd.id(), () -> Receipt.accept(cmd));
  }

  /** Plain JDBC's duplicate: {@code SELECT} the outcome and decode it. */
  @Benchmark
  public Object rawHit() throws SQLException, IOException {
    try (Connection connection = pool.getConnection();
        PreparedStatement select = connection.prepareStatement(rawSelect)) {
      select.setBytes(1, keyHash(keys.next().id()));
      try (ResultSet row = select.executeQuery()) {
        if (!row.next()) {
          throw new IllegalStateException("a primed key is missing");
        }
        return json.readValue(row.getBytes(1), Receipt.class);
      }
    }
  }

  /** A first call through the engine: acquire, body, complete. */
  @Benchmark
  public Object engineFirstCall() {
    PlaceOrder cmd = fresh();
    return operation.execute(cmd.id(), () -> Receipt.accept(cmd));
  }

  /** Plain JDBC's first call: {@code INSERT ... ON CONFLICT DO NOTHING}, body, {@code UPDATE}. */
  @Benchmark
  public Object rawFirstCall() throws SQLException, IOException {
    return rawFirstCall(fresh());
  }
}
