package dev.idempotent.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.idempotent.jdbc.JdbcIdempotencyStore.Dialect;
import dev.idempotent.testing.TestServer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * The servers the tests run against, and the dialects spoken to them: PostgreSQL and MariaDB on
 * this machine, and the MySQL dialect (no RETURNING) spoken to MariaDB, which accepts its SQL.
 */
enum TestDatabase {
  POSTGRESQL(
      "jdbc:postgresql://127.0.0.1:" + TestServer.POSTGRESQL.port() + "/test",
      "postgres",
      Dialect.POSTGRESQL),
  MARIADB(
      "jdbc:mariadb://127.0.0.1:" + TestServer.MARIADB.port() + "/test", "root", Dialect.MARIADB),
  MYSQL_DIALECT_ON_MARIADB(
      "jdbc:mariadb://127.0.0.1:" + TestServer.MARIADB.port() + "/test", "root", Dialect.MYSQL);

  final String url;
  final String user;
  final Dialect dialect;

  TestDatabase(String url, String user, Dialect dialect) {
    this.url = url;
    this.user = user;
    this.dialect = dialect;
  }

  /** A HikariCP pool of at most {@code size} connections. */
  HikariDataSource pool(int size) {
    return pool(size, config -> {});
  }

  /** A HikariCP pool of at most {@code size} connections, with other settings. */
  HikariDataSource pool(int size, Consumer<HikariConfig> settings) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setUsername(user);
    config.setPassword("");
    config.setMaximumPoolSize(size);
    config.setMinimumIdle(0);
    config.setPoolName("test-" + name().toLowerCase(Locale.ROOT));
    settings.accept(config);
    return new HikariDataSource(config);
  }

  /** This server's URL with another port: a dead one, in outage tests. */
  String urlWithPort(int port) {
    return url.replaceFirst(":\\d+/", ":" + port + "/");
  }

  /** A builder for a store over {@code dataSource} in this dialect, without a background purge. */
  JdbcIdempotencyStore.Builder store(DataSource dataSource, String table) {
    return JdbcIdempotencyStore.builder(dataSource)
        .dialect(dialect)
        .tableName(table)
        .purgeInterval(java.time.Duration.ZERO);
  }

  /** A table name no other test run uses. */
  static String freshTableName(String prefix) {
    return prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  }

  static void execute(DataSource dataSource, String sql) throws SQLException {
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  static long count(DataSource dataSource, String sql, Object... args) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        ps.setObject(i + 1, args[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  static void drop(DataSource dataSource, String table) throws SQLException {
    execute(dataSource, "DROP TABLE IF EXISTS " + table);
  }
}
