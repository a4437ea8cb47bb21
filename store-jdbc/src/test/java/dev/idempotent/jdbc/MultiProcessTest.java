package dev.idempotent.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import dev.idempotent.testing.ChildJvm;
import dev.idempotent.testing.RequiresServer;
import dev.idempotent.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Four JVMs, eight threads each, call the same woven {@code @Idempotent} method ({@link
 * Ledger#charge}) for the same 200 keys at the same moment, through one table: every key's body
 * runs exactly once in all, and every call in every process gets the same result for a key. The
 * body records each run as a row of its own table, so the count does not rely on the store under
 * test. The children refuse to run unless the method is woven.
 */
@RequiresServer({TestServer.POSTGRESQL, TestServer.MARIADB})
class MultiProcessTest {
  private static final int JVMS = 4;
  private static final int THREADS = 8;
  private static final int KEYS = 200;

  @ParameterizedTest
  @EnumSource(
      value = TestDatabase.class,
      names = {"POSTGRESQL", "MARIADB"})
  void fourJvmsOfEightThreadsRunEachOf200KeysExactlyOnce(TestDatabase database) throws Exception {
    String table = TestDatabase.freshTableName("multi");
    String executions = TestDatabase.freshTableName("executions");
    Path go = Files.createTempDirectory("idempotent-jdbc").resolve("go");
    List<ChildJvm> children = new ArrayList<>();
    try (HikariDataSource pool = database.pool(2)) {
      try {
        database.store(pool, table).build().close();
        Ledger.createExecutionsTable(pool, executions);
        for (int i = 0; i < JVMS; i++) {
          children.add(
              ChildJvm.start(
                  ChildCaller.class,
                  List.of("-Xmx128m"),
                  "calls",
                  database.name(),
                  table,
                  executions,
                  go.toString(),
                  Integer.toString(KEYS),
                  Integer.toString(THREADS)));
        }
        for (ChildJvm child : children) {
          child.awaitLine(line -> line.startsWith("READY"), Duration.ofSeconds(60));
        }
        long started = System.nanoTime();
        Files.createFile(go);
        for (ChildJvm child : children) {
          assertEquals(
              0, child.awaitExit(Duration.ofSeconds(120)), String.join("\n", child.lines()));
        }
        long millis = (System.nanoTime() - started) / 1_000_000;

        Map<String, String> agreed = new TreeMap<>();
        List<String> summaries = new ArrayList<>();
        for (ChildJvm child : children) {
          String done = child.awaitLine(line -> line.startsWith("DONE"), Duration.ofSeconds(1));
          summaries.add(done);
          assertTrue(
              done.endsWith("calls=" + KEYS * THREADS + " mismatches=0 failures=0"),
              String.join("\n", child.lines()));
          int results = 0;
          for (String line : child.lines()) {
            if (line.startsWith("RESULT ")) {
              String[] parts = line.split(" ", 3);
              String first = agreed.putIfAbsent(parts[1], parts[2]);
              if (first != null) {
                assertEquals(first, parts[2], "every process got the same result for " + parts[1]);
              }
              results++;
            }
          }
          assertEquals(KEYS, results);
        }
        assertEquals(KEYS, agreed.size());

        long ran =
            TestDatabase.count(
                pool, "SELECT COUNT(*) FROM " + executions + " WHERE phase = 'started'");
        long distinct =
            TestDatabase.count(
                pool,
                "SELECT COUNT(DISTINCT order_id) FROM " + executions + " WHERE phase = 'started'");
        Map<String, Long> perProcess = new HashMap<>();
        for (String result : agreed.values()) {
          String process = result.substring(result.indexOf('@') + 1, result.indexOf('/'));
          perProcess.merge(process, 1L, Long::sum);
        }
        System.out.printf(
            "multi-process on %s: %d JVMs x %d threads x %d keys = %d calls in %d ms;"
                + " executions recorded %d (distinct keys %d); every process got the same result"
                + " per key; executions per process %s; %s%n",
            database,
            JVMS,
            THREADS,
            KEYS,
            JVMS * THREADS * KEYS,
            millis,
            ran,
            distinct,
            perProcess,
            summaries);
        assertEquals(KEYS, ran, "executions");
        assertEquals(KEYS, distinct, "distinct keys executed");
      } finally {
        for (ChildJvm child : children) {
          child.close();
        }
        Files.deleteIfExists(go);
        Files.deleteIfExists(go.getParent());
        TestDatabase.drop(pool, executions);
        TestDatabase.drop(pool, table);
      }
    }
  }
}
