package dev.idempotent.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The takeover of an expired record is atomic: 64 threads meeting the same expired record (an
 * abandoned lease, or a completed record past its ttl) produce exactly one new owner.
 */
@RequiresServer({TestServer.POSTGRESQL, TestServer.MARIADB})
class TakeoverRaceTest {
  private static final int THREADS = 64;
  private static final int KEYS = 8;
  private static final int ROUNDS = 3;
  private static final Duration SHORT = Duration.ofMillis(200);
  private static final Duration LONG = Duration.ofHours(1);

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void exactlyOneOf64ThreadsTakesOverAnExpiredRecord(TestDatabase database) throws Exception {
    String table = TestDatabase.freshTableName("takeover");
    ExecutorService threads = Executors.newFixedThreadPool(THREADS);
    try (HikariDataSource pool = database.pool(24);
        JdbcIdempotencyStore store = database.store(pool, table).build()) {
      try {
        for (int round = 0; round < ROUNDS; round++) {
          List<IdempotencyKey> keys = new ArrayList<>();
          for (int k = 0; k < KEYS; k++) {
            IdempotencyKey key = IdempotencyKey.of("takeover", round + "-" + k);
            keys.add(key);
            if (k % 2 == 0) {
              store.acquire(key, "abandoned", SHORT);
            } else {
              Acquisition a = store.acquire(key, "done", LONG);
              assertTrue(
                  store.complete(
                      key,
                      a.token(),
                      Outcome.encoded("{}".getBytes(StandardCharsets.UTF_8)),
                      SHORT));
            }
          }
          Thread.sleep(SHORT.toMillis() * 2);
          CountDownLatch start = new CountDownLatch(1);
          List<Future<int[]>> results = new ArrayList<>();
          for (int t = 0; t < THREADS; t++) {
            int offset = t;
            results.add(
                threads.submit(
                    () -> {
                      start.await();
                      int[] acquired = new int[KEYS];
                      for (int i = 0; i < KEYS; i++) {
                        int k = (i + offset) % KEYS;
                        Acquisition a = store.acquire(keys.get(k), "new", LONG);
                        if (a.status() == Acquisition.Status.ACQUIRED) {
                          acquired[k]++;
                        } else {
                          assertEquals(Acquisition.Status.IN_PROGRESS, a.status());
                          assertEquals("new", a.fingerprint());
                        }
                      }
                      return acquired;
                    }));
          }
          start.countDown();
          int[] winners = new int[KEYS];
          for (Future<int[]> result : results) {
            int[] acquired = result.get(60, TimeUnit.SECONDS);
            for (int k = 0; k < KEYS; k++) {
              winners[k] += acquired[k];
            }
          }
          for (int k = 0; k < KEYS; k++) {
            assertEquals(1, winners[k], "round " + round + ", key " + k + " winners");
          }
        }
        System.out.printf(
            "takeover race on %s: %d rounds x %d expired records (half abandoned leases, half"
                + " completed past their ttl) x %d threads: exactly one new owner each%n",
            database, ROUNDS, KEYS, THREADS);
      } finally {
        TestDatabase.drop(pool, table);
      }
    } finally {
      threads.shutdownNow();
    }
  }
}
