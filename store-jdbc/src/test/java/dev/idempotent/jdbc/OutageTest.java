package dev.idempotent.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import dev.idempotent.IdempotencyEngine;
import dev.idempotent.IdempotencyStoreException;
import dev.idempotent.IdempotentOperation;
import dev.idempotent.testing.RequiresServer;
import dev.idempotent.testing.TestServer;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * When the database cannot be reached, calls fail closed: {@link IdempotencyStoreException}, and
 * the body does not run. The shared servers are never stopped: the pool points at a dead port, or
 * is closed under running calls.
 */
@RequiresServer({TestServer.POSTGRESQL, TestServer.MARIADB})
class OutageTest {

  private static int deadPort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = TestDatabase.class,
      names = {"POSTGRESQL", "MARIADB"})
  void aPoolAtADeadPortFailsEveryCallClosedWithoutRunningTheBody(TestDatabase database)
      throws Exception {
    String url = database.urlWithPort(deadPort());
    try (HikariDataSource dead =
        database.pool(
            2,
            config -> {
              config.setJdbcUrl(url);
              config.setConnectionTimeout(250);
              config.setInitializationFailTimeout(-1);
            })) {
      IdempotencyStoreException atBuild =
          assertThrows(
              IdempotencyStoreException.class,
              () -> JdbcIdempotencyStore.builder(dead).purgeInterval(Duration.ZERO).build());
      assertTrue(atBuild.getMessage().contains("could not be built"), atBuild.getMessage());

      JdbcIdempotencyStore store = database.store(dead, "outage").createTable(false).build();
      IdempotencyEngine engine = IdempotencyEngine.builder().store(store).build();
      IdempotentOperation<String> op = engine.operation("payments.outage", String.class).build();
      AtomicInteger bodies = new AtomicInteger();
      int calls = 4;
      long started = System.nanoTime();
      for (int i = 0; i < calls; i++) {
        String key = "k" + i;
        IdempotencyStoreException e =
            assertThrows(
                IdempotencyStoreException.class,
                () -> op.execute(key, () -> "ran-" + bodies.incrementAndGet()));
        assertTrue(e.getMessage().contains("the body did not run"), e.getMessage());
        assertTrue(e.getCause().getMessage().contains("namespace 'payments.outage'"));
      }
      long millisPerCall = (System.nanoTime() - started) / 1_000_000 / calls;
      assertEquals(0, bodies.get());
      assertThrows(IdempotencyStoreException.class, store::purgeExpired);
      System.out.printf(
          "outage on %s (pool at dead port): %d calls, %d failed closed with"
              + " IdempotencyStoreException, %d bodies ran, %d ms per call (connectionTimeout"
              + " 250 ms)%n",
          database, calls, calls, bodies.get(), millisPerCall);
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = TestDatabase.class,
      names = {"POSTGRESQL", "MARIADB"})
  void closingThePoolUnderRunningCallsFailsTheRestClosed(TestDatabase database) throws Exception {
    String table = TestDatabase.freshTableName("outage");
    HikariDataSource pool = database.pool(8, config -> config.setConnectionTimeout(250));
    JdbcIdempotencyStore store = database.store(pool, table).build();
    IdempotencyEngine engine = IdempotencyEngine.builder().store(store).build();
    IdempotentOperation<String> op = engine.operation("payments.closing", String.class).build();

    Map<String, AtomicInteger> ran = new ConcurrentHashMap<>();
    Set<String> succeeded = ConcurrentHashMap.newKeySet();
    Set<String> failedClosed = ConcurrentHashMap.newKeySet();
    Set<String> startedAfterClose = ConcurrentHashMap.newKeySet();
    AtomicBoolean closed = new AtomicBoolean();
    int threads = 8;
    ExecutorService workers = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> work = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        work.add(
            workers.submit(
                () -> {
                  int failuresAfterClose = 0;
                  for (int i = 0; failuresAfterClose < 3; i++) {
                    String key = thread + "-" + i;
                    boolean afterClose = closed.get();
                    if (afterClose) {
                      startedAfterClose.add(key);
                    }
                    try {
                      op.execute(
                          key,
                          () -> {
                            ran.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
                            return "receipt-" + key;
                          });
                      succeeded.add(key);
                    } catch (IdempotencyStoreException e) {
                      failedClosed.add(key);
                      failuresAfterClose += afterClose ? 1 : 0;
                    }
                  }
                  return null;
                }));
      }
      Thread.sleep(500);
      pool.close();
      closed.set(true);
      for (Future<?> f : work) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      workers.shutdownNow();
      store.close();
    }

    assertFalse(succeeded.isEmpty(), "calls succeeded before the pool closed");
    assertFalse(failedClosed.isEmpty(), "calls failed after the pool closed");
    for (String key : failedClosed) {
      assertFalse(ran.containsKey(key), "the body of failed call " + key + " did not run");
    }
    ran.forEach((key, count) -> assertEquals(1, count.get(), "body of " + key));
    for (String key : startedAfterClose) {
      assertTrue(failedClosed.contains(key), "call " + key + " after close failed closed");
    }

    try (HikariDataSource reopened = database.pool(2);
        JdbcIdempotencyStore again = database.store(reopened, table).build()) {
      long completed =
          TestDatabase.count(reopened, "SELECT COUNT(*) FROM " + table + " WHERE token IS NULL");
      long inProgress =
          TestDatabase.count(
              reopened, "SELECT COUNT(*) FROM " + table + " WHERE token IS NOT NULL");
      IdempotentOperation<String> afterwards =
          IdempotencyEngine.builder()
              .store(again)
              .build()
              .operation("payments.closing", String.class)
              .build();
      assertEquals("back", afterwards.execute("after-reopen", () -> "back"));
      System.out.printf(
          "outage on %s (pool closed under 8 threads): %d calls succeeded, %d failed closed"
              + " with IdempotencyStoreException and none of their bodies ran (%d of them"
              + " started after the close); bodies ran %d times; records completed %d, left in"
              + " progress by a completion the closed pool lost %d; a new pool works again%n",
          database,
          succeeded.size(),
          failedClosed.size(),
          startedAfterClose.size(),
          ran.size(),
          completed,
          inProgress);
      TestDatabase.drop(reopened, table);
    }
  }
}
