package dev.idempotent.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import dev.idempotent.store.Acquisition;
import dev.idempotent.store.IdempotencyKey;
import dev.idempotent.store.Outcome;
import dev.idempotent.testing.RequiresServer;
import dev.idempotent.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@RequiresServer({TestServer.POSTGRESQL, TestServer.MARIADB})
class PurgeTest {
  private static final Duration SHORT = Duration.ofMillis(200);
  private static final Duration LONG = Duration.ofHours(1);
  private static final Outcome OUTCOME =
      Outcome.encoded("{\"v\":1}".getBytes(StandardCharsets.UTF_8));

  private HikariDataSource pool;
  private String table;

  @AfterEach
  void dropTable() throws Exception {
    TestDatabase.drop(pool, table);
    pool.close();
  }

  private JdbcIdempotencyStore.Builder setUp(TestDatabase database) {
    pool = database.pool(4);
    table = TestDatabase.freshTableName("purge");
    return database.store(pool, table);
  }

  /** Writes {@code expired} records that expire at once and {@code live} ones that do not. */
  private static void fill(JdbcIdempotencyStore store, int expired, int live) {
    for (int i = 0; i < expired; i++) {
      IdempotencyKey key = IdempotencyKey.of("purge", "expired-" + i);
      if (i % 5 == 0) {
        Acquisition a = store.acquire(key, null, LONG);
        assertTrue(store.complete(key, a.token(), OUTCOME, SHORT));
      } else {
        store.acquire(key, null, SHORT);
      }
    }
    for (int i = 0; i < live; i++) {
      IdempotencyKey key = IdempotencyKey.of("purge", "live-" + i);
      Acquisition a = store.acquire(key, null, LONG);
      if (i % 2 == 0) {
        assertTrue(store.complete(key, a.token(), OUTCOME, LONG));
      }
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void purgeDeletesOnlyExpiredRecordsAndAtMostOneBatchPerCall(TestDatabase database)
      throws Exception {
    try (JdbcIdempotencyStore store = setUp(database).purgeBatchSize(10).build()) {
      fill(store, 28, 7);
      Thread.sleep(SHORT.toMillis() * 2);
      List<Integer> batches = new ArrayList<>();
      for (int deleted = -1; deleted != 0; ) {
        deleted = store.purgeExpired();
        batches.add(deleted);
      }
      assertEquals(List.of(10, 10, 8, 0), batches);
      assertEquals(7, TestDatabase.count(pool, "SELECT COUNT(*) FROM " + table));
      assertEquals(
          0,
          TestDatabase.count(
              pool, "SELECT COUNT(*) FROM " + table + " WHERE key_value LIKE ?", "expired-%"));
      for (int i = 0; i < 7; i++) {
        Acquisition.Status status =
            store.acquire(IdempotencyKey.of("purge", "live-" + i), null, LONG).status();
        assertEquals(
            i % 2 == 0 ? Acquisition.Status.COMPLETED : Acquisition.Status.IN_PROGRESS, status);
      }
      System.out.printf(
          "purge on %s: 28 expired and 7 live records, batch size 10: batches deleted %s, %d"
              + " live records kept%n",
          database, batches, 7);
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = TestDatabase.class,
      names = {"POSTGRESQL", "MARIADB"})
  void backgroundPurgeDeletesExpiredRecordsUntilTheStoreIsClosed(TestDatabase database)
      throws Exception {
    JdbcIdempotencyStore store =
        setUp(database).purgeBatchSize(5).purgeInterval(Duration.ofMillis(100)).build();
    String thread = "idempotent-jdbc-purge-" + table;
    try {
      fill(store, 23, 3);
      assertTrue(threadAlive(thread), "the purge thread runs");
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (TestDatabase.count(pool, "SELECT COUNT(*) FROM " + table) > 3) {
        assertTrue(System.nanoTime() < deadline, "expired records still there after 20 s");
        Thread.sleep(50);
      }
    } finally {
      store.close();
    }
    for (int i = 0; i < 100 && threadAlive(thread); i++) {
      Thread.sleep(20);
    }
    assertFalse(threadAlive(thread), "the purge thread stops on close()");
    assertEquals(3, TestDatabase.count(pool, "SELECT COUNT(*) FROM " + table));
  }

  private static boolean threadAlive(String name) {
    return Thread.getAllStackTraces().keySet().stream()
        .anyMatch(t -> t.getName().equals(name) && t.isAlive());
  }
}
