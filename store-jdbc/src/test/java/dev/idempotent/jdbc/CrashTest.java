package dev.idempotent.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import dev.idempotent.jdbc.JdbcIdempotencyStore.Dialect;
import dev.idempotent.testing.ChildJvm;
import dev.idempotent.testing.RequiresServer;
import dev.idempotent.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A JVM holding a key is killed with SIGKILL mid-body. While it lived, its two-second lease was
 * renewed and nobody could take the key; once it is dead the lease runs out, and of twelve calls
 * from three other JVMs exactly one runs the body again. The killed owner never completes. Every
 * JVM calls the woven {@code @Idempotent} method {@link Ledger#settle}, and refuses to run unless
 * it is woven.
 */
@RequiresServer({TestServer.POSTGRESQL, TestServer.MARIADB})
class CrashTest {
  private static final int TAKER_JVMS = 3;
  private static final int TAKER_THREADS = 4;

  @ParameterizedTest
  @EnumSource(
      value = TestDatabase.class,
      names = {"POSTGRESQL", "MARIADB"})
  void aKilledOwnersKeyIsTakenOverAndRunOnceMoreAfterItsLeaseEnds(TestDatabase database)
      throws Exception {
    String table = TestDatabase.freshTableName("crash");
    String executions = TestDatabase.freshTableName("executions");
    String key = "order-crash";
    Path go = Files.createTempDirectory("idempotent-jdbc").resolve("go");
    List<ChildJvm> takers = new ArrayList<>();
    try (HikariDataSource pool = database.pool(2)) {
      ChildJvm owner = null;
      try {
        database.store(pool, table).build().close();
        Ledger.createExecutionsTable(pool, executions);
        owner =
            ChildJvm.start(
                ChildCaller.class, "crash-owner", database.name(), table, executions, key);
        String startedLine =
            owner.awaitLine(line -> line.startsWith("BODY-STARTED"), Duration.ofSeconds(60));
        String ownerProcess = startedLine.split(" ")[1];
        for (int i = 0; i < TAKER_JVMS; i++) {
          takers.add(
              ChildJvm.start(
                  ChildCaller.class,
                  "crash-taker",
                  database.name(),
                  table,
                  executions,
                  go.toString(),
                  key,
                  Integer.toString(TAKER_THREADS)));
        }
        for (ChildJvm taker : takers) {
          taker.awaitLine(line -> line.startsWith("READY"), Duration.ofSeconds(60));
        }

        // Two leases later the live owner still holds the key: renewal works.
        Thread.sleep(4_500);
        assertTrue(owner.isAlive());
        assertEquals(1, liveInProgress(pool, database, table, key), "held while the owner lives");

        owner.kill();
        long killedAt = System.currentTimeMillis();
        Files.createFile(go);
        for (ChildJvm taker : takers) {
          assertEquals(
              0, taker.awaitExit(Duration.ofSeconds(90)), String.join("\n", taker.lines()));
        }

        Set<String> results = new HashSet<>();
        long takenOverAt = 0;
        for (ChildJvm taker : takers) {
          for (String line : taker.lines()) {
            assertFalse(line.startsWith("FAILURE"), line);
            if (line.startsWith("RESULT ")) {
              results.add(line.substring(7));
            } else if (line.startsWith("BODY-STARTED")) {
              takenOverAt = Long.parseLong(line.split(" ")[2]);
            }
          }
        }
        long calls =
            takers.stream()
                .flatMap(t -> t.lines().stream())
                .filter(l -> l.startsWith("RESULT "))
                .count();
        String where = "SELECT COUNT(*) FROM " + executions + " WHERE phase = ?";
        long started = TestDatabase.count(pool, where, "started");
        long finished = TestDatabase.count(pool, where, "finished");
        long ownerFinished =
            TestDatabase.count(pool, where + " AND process = ?", "finished", ownerProcess);
        long completed =
            TestDatabase.count(
                pool,
                "SELECT COUNT(*) FROM " + table + " WHERE token IS NULL AND key_value = ?",
                key);
        System.out.printf(
            "crash on %s: owner %s started the body, held its 2 s lease for 4.5 s by renewal, then"
                + " was SIGKILLed; %d JVMs x %d threads called the key: bodies started %d (owner"
                + " 1, takers %d), finished %d, by the owner %d; the takeover began %d ms after"
                + " the kill; %d calls all returned %s; record completed %d%n",
            database,
            ownerProcess,
            TAKER_JVMS,
            TAKER_THREADS,
            started,
            started - 1,
            finished,
            ownerFinished,
            takenOverAt - killedAt,
            calls,
            results,
            completed);
        String takerOutput =
            takers.stream()
                .map(t -> "taker " + t.pid() + ":\n" + String.join("\n", t.lines()))
                .reduce("", (a, b) -> a + "\n" + b);
        assertEquals(TAKER_JVMS * TAKER_THREADS, calls, takerOutput);
        assertEquals(1, results.size(), "every taker got the same result" + takerOutput);
        assertFalse(results.iterator().next().contains(ownerProcess), "not the owner's result");
        assertEquals(2, started, "the owner's run and exactly one more" + takerOutput);
        assertEquals(1, finished);
        assertEquals(0, ownerFinished, "the killed owner never completes");
        assertEquals(1, completed);
        assertFalse(owner.lines().contains("OWNER-COMPLETED"));
      } finally {
        if (owner != null) {
          owner.close();
        }
        for (ChildJvm taker : takers) {
          taker.close();
        }
        Files.deleteIfExists(go);
        Files.deleteIfExists(go.getParent());
        TestDatabase.drop(pool, executions);
        TestDatabase.drop(pool, table);
      }
    }
  }

  private static long liveInProgress(
      HikariDataSource pool, TestDatabase database, String table, String key) throws Exception {
    String now = database.dialect == Dialect.POSTGRESQL ? "now()" : "UTC_TIMESTAMP(6)";
    return TestDatabase.count(
        pool,
        "SELECT COUNT(*) FROM "
            + table
            + " WHERE key_value = ? AND token IS NOT NULL AND expires_at > "
            + now,
        key);
  }
}
