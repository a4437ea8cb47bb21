package dev.idempotent.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.idempotent.IdempotencyStoreException;
import dev.idempotent.jdbc.JdbcIdempotencyStore.Dialect;
import dev.idempotent.store.Acquisition;
import dev.idempotent.store.IdempotencyKey;
import dev.idempotent.testing.RequiresServer;
import dev.idempotent.testing.TestServer;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@RequiresServer({TestServer.POSTGRESQL, TestServer.MARIADB})
class TableCreationTest {
  private final List<HikariDataSource> pools = new ArrayList<>();
  private final List<Runnable> cleanups = new ArrayList<>();

  @AfterEach
  void cleanUp() {
    cleanups.forEach(Runnable::run);
    pools.forEach(HikariDataSource::close);
  }

  private HikariDataSource pool(TestDatabase database, int size) {
    return pool(database, size, config -> {});
  }

  private HikariDataSource pool(TestDatabase database, int size, Consumer<HikariConfig> settings) {
    HikariDataSource pool = database.pool(size, settings);
    pools.add(pool);
    return pool;
  }

  private String table(HikariDataSource pool, String prefix) {
    String table = TestDatabase.freshTableName(prefix);
    cleanups.add(
        () -> {
          try {
            TestDatabase.drop(pool, table);
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
    return table;
  }

  @ParameterizedTest
  @EnumSource(
      value = TestDatabase.class,
      names = {"POSTGRESQL", "MARIADB"})
  void eightInstancesStartingAtOnceOnAnEmptyDatabaseAllComeUp(TestDatabase database)
      throws Exception {
    int instances = 8;
    HikariDataSource pool = pool(database, instances + 2);
    ExecutorService threads = Executors.newFixedThreadPool(instances);
    try {
      for (int round = 0; round < 3; round++) {
        String table = table(pool, "race");
        CountDownLatch start = new CountDownLatch(1);
        List<Future<JdbcIdempotencyStore>> builds = new ArrayList<>();
        for (int i = 0; i < instances; i++) {
          builds.add(
              threads.submit(
                  () -> {
                    start.await();
                    return JdbcIdempotencyStore.builder(pool)
                        .tableName(table)
                        .purgeInterval(Duration.ZERO)
                        .build();
                  }));
        }
        start.countDown();
        List<JdbcIdempotencyStore> stores = new ArrayList<>();
        for (Future<JdbcIdempotencyStore> build : builds) {
          stores.add(build.get(60, TimeUnit.SECONDS));
        }
        IdempotencyKey key = IdempotencyKey.of("race", "k");
        assertEquals(
            Acquisition.Status.ACQUIRED,
            stores.get(0).acquire(key, null, Duration.ofMinutes(1)).status());
        for (JdbcIdempotencyStore store : stores.subList(1, instances)) {
          assertEquals(database.dialect, store.dialect());
          assertEquals(
              Acquisition.Status.IN_PROGRESS,
              store.acquire(key, null, Duration.ofMinutes(1)).status());
          store.close();
        }
        System.out.printf(
            "table creation race on %s, round %d: %d instances built at once, all up%n",
            database, round + 1, instances);
      }
    } finally {
      threads.shutdownNow();
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = TestDatabase.class,
      names = {"POSTGRESQL", "MARIADB"})
  void ddlRunBySessionsAtTheSameMomentAbsorbsTheirCreationConflicts(TestDatabase database)
      throws Exception {
    int sessions = 8;
    HikariDataSource pool = pool(database, sessions + 2);
    ExecutorService threads = Executors.newFixedThreadPool(sessions);
    int conflicts = 0;
    try {
      for (int round = 0; round < 5; round++) {
        TableName table = TableName.of(table(pool, "ddl"));
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> runs = new ArrayList<>();
        for (int i = 0; i < sessions; i++) {
          runs.add(
              threads.submit(
                  () -> {
                    try (Connection c = pool.getConnection()) {
                      start.await();
                      return Schema.runDdl(c, database.dialect, table);
                    }
                  }));
        }
        start.countDown();
        for (Future<Integer> run : runs) {
          conflicts += run.get(60, TimeUnit.SECONDS);
        }
        try (Connection c = pool.getConnection()) {
          Schema.require(c, database.dialect, table);
        }
      }
    } finally {
      threads.shutdownNow();
    }
    System.out.printf(
        "DDL on %s: 5 rounds of %d sessions at once, %d concurrent-creation errors absorbed%n",
        database, sessions, conflicts);
  }

  @ParameterizedTest
  @EnumSource(
      value = TestDatabase.class,
      names = {"POSTGRESQL", "MARIADB"})
  void dialectIsDetectedFromTheConnection(TestDatabase database) {
    HikariDataSource pool = pool(database, 2);
    String table = table(pool, "detect");
    JdbcIdempotencyStore store =
        JdbcIdempotencyStore.builder(pool).tableName(table).purgeInterval(Duration.ZERO).build();
    assertEquals(database.dialect, store.dialect());
    assertEquals(table, store.tableName());
  }

  @ParameterizedTest
  @EnumSource(
      value = TestDatabase.class,
      names = {"POSTGRESQL", "MARIADB"})
  void withoutCreateTableAMissingTableFailsTheBuildAndNamesTheDdl(TestDatabase database) {
    HikariDataSource pool = pool(database, 2);
    String table = TestDatabase.freshTableName("absent");
    IdempotencyStoreException e =
        assertThrows(
            IdempotencyStoreException.class,
            () -> JdbcIdempotencyStore.builder(pool).tableName(table).createTable(false).build());
    assertTrue(e.getMessage().contains(table), e.getMessage());
    assertTrue(e.getMessage().contains("JdbcIdempotencyStore.ddl"), e.getMessage());
  }

  @ParameterizedTest
  @EnumSource(
      value = TestDatabase.class,
      names = {"POSTGRESQL", "MARIADB"})
  void aTableOfAnotherShapeFailsTheBuild(TestDatabase database) throws Exception {
    HikariDataSource pool = pool(database, 2);
    String table = table(pool, "shape");
    TestDatabase.execute(pool, "CREATE TABLE " + table + " (id INT PRIMARY KEY)");
    IdempotencyStoreException e =
        assertThrows(
            IdempotencyStoreException.class,
            () -> JdbcIdempotencyStore.builder(pool).tableName(table).build());
    assertTrue(e.getMessage().contains("lacks some of the columns"), e.getMessage());
  }

  /** The shipped DDL with one column definition replaced, run on {@code pool}. */
  private String tableWith(
      HikariDataSource pool, TestDatabase database, String prefix, String from, String to)
      throws Exception {
    String table = table(pool, prefix);
    String ddl = Schema.ddl(database.dialect, TableName.of(table));
    assertTrue(ddl.contains(from), ddl);
    for (String statement : Schema.statements(ddl.replace(from, to))) {
      TestDatabase.execute(pool, statement);
    }
    return table;
  }

  @ParameterizedTest
  @EnumSource(
      value = TestDatabase.class,
      names = {"POSTGRESQL", "MARIADB"})
  void keyHashInATextColumnFailsTheBuildBecauseItsCollationCouldMergeKeys(TestDatabase database)
      throws Exception {
    HikariDataSource pool = pool(database, 2);
    boolean postgres = database == TestDatabase.POSTGRESQL;
    String table =
        postgres
            ? tableWith(
                pool,
                database,
                "texthash",
                "BYTEA        NOT NULL PRIMARY KEY",
                "TEXT NOT NULL PRIMARY KEY")
            : tableWith(
                pool,
                database,
                "texthash",
                "key_hash    BINARY(32)   NOT NULL",
                "key_hash CHAR(32) CHARACTER SET latin1 COLLATE latin1_swedish_ci NOT NULL");
    for (boolean createTable : new boolean[] {true, false}) {
      IdempotencyStoreException e =
          assertThrows(
              IdempotencyStoreException.class,
              () ->
                  JdbcIdempotencyStore.builder(pool)
                      .tableName(table)
                      .createTable(createTable)
                      .build());
      assertTrue(
          e.getMessage().contains("the column key_hash of the idempotency records table"),
          e.getMessage());
      assertTrue(e.getMessage().contains(postgres ? "(BYTEA)" : "(BINARY(32))"), e.getMessage());
      assertTrue(e.getMessage().contains("JdbcIdempotencyStore.ddl(Dialect."), e.getMessage());
    }
  }

  @Test
  void keyHashOfFewerThan32BytesFailsTheBuild() throws Exception {
    HikariDataSource pool = pool(TestDatabase.MARIADB, 2);
    String table =
        tableWith(
            pool,
            TestDatabase.MARIADB,
            "shorthash",
            "key_hash    BINARY(32)   NOT NULL",
            "key_hash VARBINARY(16) NOT NULL");
    IdempotencyStoreException e =
        assertThrows(
            IdempotencyStoreException.class,
            () -> JdbcIdempotencyStore.builder(pool).tableName(table).build());
    assertTrue(e.getMessage().contains("has type varbinary(16)"), e.getMessage());
  }

  @Test
  void keyTextColumnsThatCannotHoldEveryCharacterAreWarnedAboutWithTheFix() throws Exception {
    HikariDataSource pool = pool(TestDatabase.MARIADB, 2);
    String table =
        tableWith(
            pool,
            TestDatabase.MARIADB,
            "latin",
            "key_value   MEDIUMTEXT   NOT NULL",
            "key_value   MEDIUMTEXT CHARACTER SET latin1 NOT NULL");
    List<String> warnings;
    try (Connection connection = pool.getConnection()) {
      warnings = Schema.checkKeyColumns(connection, Dialect.MARIADB, TableName.of(table));
    }
    assertEquals(1, warnings.size(), warnings.toString());
    assertTrue(
        warnings.get(0).contains("column key_value has character set latin1"), warnings.get(0));
    assertTrue(
        warnings.get(0).contains("CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_bin"),
        warnings.get(0));
    JdbcIdempotencyStore.builder(pool).tableName(table).build();
  }

  @ParameterizedTest
  @EnumSource(
      value = TestDatabase.class,
      names = {"POSTGRESQL", "MARIADB"})
  void theShippedDdlHoldsKeysWithoutWarnings(TestDatabase database) throws Exception {
    HikariDataSource pool = pool(database, 2);
    String table = table(pool, "clean");
    JdbcIdempotencyStore.builder(pool).tableName(table).build();
    try (Connection connection = pool.getConnection()) {
      assertEquals(
          List.of(), Schema.checkKeyColumns(connection, database.dialect, TableName.of(table)));
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = TestDatabase.class,
      names = {"POSTGRESQL", "MARIADB"})
  void theShippedDdlCreatesATableTheStoreAccepts(TestDatabase database) throws Exception {
    HikariDataSource pool = pool(database, 2);
    String table = table(pool, "migrated");
    for (String statement : Schema.statements(JdbcIdempotencyStore.ddl(database.dialect, table))) {
      TestDatabase.execute(pool, statement);
    }
    try (JdbcIdempotencyStore store = database.store(pool, table).createTable(false).build()) {
      IdempotencyKey key = IdempotencyKey.of("migrated", "k");
      assertEquals(
          Acquisition.Status.ACQUIRED, store.acquire(key, null, Duration.ofMinutes(1)).status());
    }
  }

  @Test
  void theDdlResourcesAreTheDefaultTablesDdl() throws Exception {
    assertEquals(
        resource("postgresql.sql"),
        JdbcIdempotencyStore.ddl(Dialect.POSTGRESQL, JdbcIdempotencyStore.DEFAULT_TABLE_NAME));
    assertEquals(
        resource("mariadb.sql"),
        JdbcIdempotencyStore.ddl(Dialect.MARIADB, JdbcIdempotencyStore.DEFAULT_TABLE_NAME));
    String custom = JdbcIdempotencyStore.ddl(Dialect.POSTGRESQL, "billing.requests");
    assertTrue(custom.contains("CREATE TABLE IF NOT EXISTS billing.requests ("), custom);
    assertTrue(
        custom.contains("CREATE INDEX IF NOT EXISTS requests_expires_at_idx ON billing.requests"),
        custom);
    assertFalse(custom.contains("idempotency_records"), custom);
  }

  private static String resource(String name) throws Exception {
    try (InputStream in = JdbcIdempotencyStore.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void tableNamesThatAreNotPlainIdentifiersAreRejected() {
    JdbcIdempotencyStore.Builder builder =
        JdbcIdempotencyStore.builder(pool(TestDatabase.POSTGRESQL, 1));
    for (String bad :
        List.of(
            "",
            "1records",
            "records; DROP TABLE x",
            "\"quoted\"",
            "a.b.c",
            "records-2",
            "x".repeat(49))) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> builder.tableName(bad), bad);
      assertTrue(e.getMessage().contains("tableName must be an unquoted SQL identifier"));
    }
    builder.tableName("app_schema.records_2");
    builder.tableName("_x");
  }

  @Test
  void builderRejectsNonPositiveSettings() {
    JdbcIdempotencyStore.Builder builder =
        JdbcIdempotencyStore.builder(pool(TestDatabase.POSTGRESQL, 1));
    assertThrows(IllegalArgumentException.class, () -> builder.purgeBatchSize(0));
    assertThrows(
        IllegalArgumentException.class, () -> builder.purgeInterval(Duration.ofSeconds(-1)));
  }

  @ParameterizedTest
  @EnumSource(
      value = TestDatabase.class,
      names = {"POSTGRESQL", "MARIADB"})
  void connectionsWithAutocommitOffAreRefused(TestDatabase database) throws Exception {
    HikariDataSource pool = pool(database, 2);
    String table = table(pool, "autocommit");
    JdbcIdempotencyStore store = database.store(pool, table).build();
    HikariDataSource manual = pool(database, 1, config -> config.setAutoCommit(false));
    IdempotencyStoreException atBuild =
        assertThrows(
            IdempotencyStoreException.class,
            () -> JdbcIdempotencyStore.builder(manual).tableName(table).build());
    assertTrue(atBuild.getMessage().contains("autocommit off"), atBuild.getMessage());
    JdbcIdempotencyStore lazy = database.store(manual, table).createTable(false).build();
    IdempotencyStoreException atCall =
        assertThrows(
            IdempotencyStoreException.class,
            () -> lazy.acquire(IdempotencyKey.of("ns", "k"), null, Duration.ofMinutes(1)));
    assertTrue(atCall.getMessage().contains("namespace 'ns'"), atCall.getMessage());
    assertTrue(atCall.getMessage().contains("autocommit off"), atCall.getMessage());
    try (Connection c = pool.getConnection()) {
      assertTrue(c.getAutoCommit());
    }
    assertEquals(
        Acquisition.Status.ACQUIRED,
        store.acquire(IdempotencyKey.of("ns", "k"), null, Duration.ofMinutes(1)).status());
  }
}
