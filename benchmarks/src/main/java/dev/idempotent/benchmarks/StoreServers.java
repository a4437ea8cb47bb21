package dev.idempotent.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.sync.RedisCommands;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Where the store benchmarks find their servers, and how each trial keeps its data apart: a name
 * unique to the trial for the Redis key prefix and the table names, and clean-up of exactly what it
 * wrote. Defaults are this machine's shared servers; override with {@code -Dbench.redis=URI},
 * {@code -Dbench.jdbc=URL}, {@code -Dbench.jdbc.user=NAME} (the Suite passes them to the forks).
 */
final class StoreServers {
  /** The Redis server the Redis benchmarks and {@code redis-benchmark} use. */
  static final String REDIS_URI = System.getProperty("bench.redis", "redis://127.0.0.1:6379");

  /** The PostgreSQL database of the JDBC benchmarks. */
  static final String JDBC_URL =
      System.getProperty("bench.jdbc", "jdbc:postgresql://127.0.0.1:5432/test");

  /** Its user; the shared server trusts local connections, so there is no password. */
  static final String JDBC_USER = System.getProperty("bench.jdbc.user", "postgres");

  private StoreServers() {}

  /**
   * A name no other trial uses: {@code bench_<pid>_<random>}, lower case, short enough for a table
   * name (the JDBC store allows 48 characters).
   */
  static String uniqueName() {
    return String.format(
        Locale.ROOT,
        "bench_%d_%08x",
        ProcessHandle.current().pid(),
        ThreadLocalRandom.current().nextInt());
  }

  /** A small pool of autocommit connections, as {@code docs/jdbc.md} advises for the store. */
  static HikariDataSource pool(String name, int size) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(JDBC_URL);
    config.setUsername(JDBC_USER);
    config.setMaximumPoolSize(size);
    config.setMinimumIdle(size);
    config.setPoolName(name);
    return new HikariDataSource(config);
  }

  /** Drops the tables a trial created. */
  static void dropTables(HikariDataSource pool, String... tables) throws SQLException {
    try (Connection connection = pool.getConnection();
        Statement statement = connection.createStatement()) {
      for (String table : tables) {
        statement.execute("DROP TABLE IF EXISTS " + table);
      }
    }
  }

  /** Deletes every key that starts with {@code prefix}; answers how many. */
  static long deleteKeys(RedisCommands<String, String> redis, String prefix) {
    long deleted = 0;
    ScanArgs match = ScanArgs.Builder.matches(prefix + "*").limit(1000);
    ScanCursor cursor = ScanCursor.INITIAL;
    do {
      KeyScanCursor<String> page = redis.scan(cursor, match);
      if (!page.getKeys().isEmpty()) {
        deleted += redis.unlink(page.getKeys().toArray(new String[0]));
      }
      cursor = page;
    } while (!cursor.isFinished());
    return deleted;
  }
}
