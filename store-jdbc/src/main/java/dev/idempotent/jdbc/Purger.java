package dev.idempotent.jdbc;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The background purge of one store: a daemon thread that runs {@link
 * JdbcIdempotencyStore#purgeExpired()} every interval, repeating it while it deletes full batches,
 * at most {@value #BATCHES_PER_RUN} times a run. A failing purge is logged and tried again next
 * interval; it never reaches a caller. The thread holds the store weakly, so a store dropped
 * without {@code close()} does not live on through it.
 */
final class Purger {
  static final int BATCHES_PER_RUN = 10;

  private static final Logger LOG = LoggerFactory.getLogger(Purger.class);

  private final ScheduledExecutorService executor;

  private Purger(ScheduledExecutorService executor) {
    this.executor = executor;
  }

  static Purger start(JdbcIdempotencyStore store, Duration interval) {
    String name = "idempotent-jdbc-purge-" + store.tableName();
    ScheduledExecutorService executor =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, name);
              thread.setDaemon(true);
              return thread;
            });
    long periodNanos = Math.max(1, interval.toNanos());
    long initialDelay = ThreadLocalRandom.current().nextLong(periodNanos);
    WeakReference<JdbcIdempotencyStore> ref = new WeakReference<>(store);
    executor.scheduleWithFixedDelay(
        () -> run(ref, executor), initialDelay, periodNanos, TimeUnit.NANOSECONDS);
    return new Purger(executor);
  }

  private static void run(
      WeakReference<JdbcIdempotencyStore> ref, ScheduledExecutorService executor) {
    JdbcIdempotencyStore store = ref.get();
    if (store == null) {
      executor.shutdown();
      return;
    }
    int total = 0;
    try {
      for (int batch = 0; batch < BATCHES_PER_RUN; batch++) {
        int deleted = store.purgeExpired();
        total += deleted;
        if (deleted < store.purgeBatchSize() || Thread.currentThread().isInterrupted()) {
          break;
        }
      }
      if (total > 0) {
        LOG.debug("Purged {} expired idempotency records from {}", total, store.tableName());
      }
    } catch (RuntimeException e) {
      LOG.warn(
          "Purging expired idempotency records from {} failed after {} deleted; trying again next"
              + " interval",
          store.tableName(),
          total,
          e);
    }
  }

  void stop() {
    executor.shutdownNow();
  }
}
