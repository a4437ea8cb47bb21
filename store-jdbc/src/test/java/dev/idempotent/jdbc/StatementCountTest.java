package dev.idempotent.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.zaxxer.hikari.HikariDataSource;
import dev.idempotent.IdempotencyEngine;
import dev.idempotent.IdempotentOperation;
import dev.idempotent.jdbc.JdbcIdempotencyStore.Dialect;
import dev.idempotent.store.IdempotencyKey;
import dev.idempotent.testing.RequiresServer;
import dev.idempotent.testing.TestServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Statements per call, counted on the DataSource, as docs/jdbc.md states them. */
@RequiresServer({TestServer.POSTGRESQL, TestServer.MARIADB})
class StatementCountTest {

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void aFirstCallTakesTwoStatementsAndADuplicateOne(TestDatabase database) throws Exception {
    String table = TestDatabase.freshTableName("counted");
    try (HikariDataSource pool = database.pool(4)) {
      CountingDataSource counting = new CountingDataSource(pool);
      try (JdbcIdempotencyStore store = database.store(counting, table).build()) {
        IdempotencyEngine engine = IdempotencyEngine.builder().store(store).build();
        IdempotentOperation<String> op = engine.operation("counted", String.class).build();
        AtomicInteger bodies = new AtomicInteger();

        counting.reset();
        assertEquals("receipt-1", op.execute("k1", () -> "receipt-" + bodies.incrementAndGet()));
        int first = counting.executed();
        List<String> firstStatements = counting.statements();

        counting.reset();
        assertEquals("receipt-1", op.execute("k1", () -> "receipt-" + bodies.incrementAndGet()));
        int hit = counting.executed();
        List<String> hitStatements = counting.statements();

        counting.reset();
        assertThrows(
            IllegalStateException.class,
            () ->
                op.execute(
                    "k2",
                    () -> {
                      throw new IllegalStateException("declined");
                    }));
        int failed = counting.executed();
        List<String> failedStatements = counting.statements();

        IdempotencyKey key = IdempotencyKey.of("counted", "expiring");
        store.acquire(key, null, Duration.ofMillis(100));
        Thread.sleep(250);
        counting.reset();
        store.acquire(key, null, Duration.ofMinutes(1));
        int takeover = counting.executed();

        assertEquals(1, bodies.get());
        assertEquals(2, first, "first call " + firstStatements);
        assertEquals(database.dialect == Dialect.MYSQL ? 2 : 1, hit, "hit " + hitStatements);
        assertEquals(2, failed, "failed body " + failedStatements);
        assertEquals(database.dialect == Dialect.MYSQL ? 3 : 1, takeover, "takeover");
        System.out.printf(
            "statements on %s: first call %d %s, duplicate %d %s, failed body %d %s, takeover of"
                + " an expired lease %d%n",
            database,
            first,
            firstStatements,
            hit,
            hitStatements,
            failed,
            failedStatements,
            takeover);
      } finally {
        TestDatabase.drop(pool, table);
      }
    }
  }
}
