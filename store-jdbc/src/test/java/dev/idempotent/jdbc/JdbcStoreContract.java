package dev.idempotent.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import dev.idempotent.store.IdempotencyStore;
import dev.idempotent.store.IdempotencyStoreContract;
import java.time.Duration;

/**
 * Core's conformance suite against a real server. Expiry is the database's own, so time passes by
 * sleeping; the short duration is kept small to keep the suite quick. Each class works on a table
 * of its own, created by the first store it builds and dropped at the end.
 */
abstract class JdbcStoreContract extends IdempotencyStoreContract {
  private final TestDatabase database;
  private final String table = TestDatabase.freshTableName("contract");
  private HikariDataSource pool;

  JdbcStoreContract(TestDatabase database) {
    this.database = database;
  }

  @Override
  protected IdempotencyStore createStore() {
    if (pool == null) {
      pool = database.pool(20);
    }
    return database.store(pool, table).build();
  }

  @Override
  protected void closeStore(IdempotencyStore store) throws Exception {
    ((JdbcIdempotencyStore) store).close();
  }

  @Override
  protected Duration shortDuration() {
    return Duration.ofMillis(300);
  }

  @Override
  protected void elapse(Duration duration) throws InterruptedException {
    Thread.sleep(duration.toMillis());
  }

  @org.junit.jupiter.api.AfterEach
  void dropTable() throws Exception {
    if (pool != null) {
      TestDatabase.drop(pool, table);
      pool.close();
      pool = null;
    }
  }
}
