package dev.idempotent.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import dev.idempotent.store.IdempotencyStore;
import dev.idempotent.test.IdempotencyStoreContract;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * Core's conformance suite against a real server. Expiry is the database's own, so time passes by
 * sleeping; the short duration is kept small to keep the suite quick. Each class works on a table
 * of its own, created before its first test and dropped after its last; every test keeps to a
 * namespace of its own inside it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class JdbcStoreContract extends IdempotencyStoreContract {
  private final TestDatabase database;
  private final String table = TestDatabase.freshTableName("contract");
  private HikariDataSource pool;

  JdbcStoreContract(TestDatabase database) {
    this.database = database;
  }

  @BeforeAll
  void createTable() {
    pool = database.pool(20);
    database.store(pool, table).build().close();
  }

  @AfterAll
  void dropTable() throws Exception {
    TestDatabase.drop(pool, table);
    pool.close();
  }

  @Override
  protected IdempotencyStore createStore() {
    return database.store(pool, table).createTable(false).build();
  }

  @Override
  protected Duration shortDuration() {
    return Duration.ofMillis(300);
  }
}
