package dev.idempotent.jdbc;

import dev.idempotent.jdbc.JdbcIdempotencyStore.Dialect;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The records table: its DDL, shipped as one resource per database family, and its creation at
 * start-up. Creation is safe when several instances start at the same moment against an empty
 * database: every statement says {@code IF NOT EXISTS}, and the errors PostgreSQL still raises when
 * two sessions create the same object concurrently (a unique violation on its catalog, or "already
 * exists") are absorbed by running the DDL again, which then finds the winner's table.
 */
final class Schema {
  private static final Logger LOG = LoggerFactory.getLogger(Schema.class);
  private static final String DEFAULT_TABLE = JdbcIdempotencyStore.DEFAULT_TABLE_NAME;
  private static final String DEFAULT_INDEX = DEFAULT_TABLE + "_expires_at_idx";

  /**
   * SQL states of "someone else created it first": PostgreSQL's duplicate_table, duplicate_object
   * and unique_violation (raised on pg_type or pg_class when two sessions race), MariaDB's and
   * MySQL's "table already exists".
   */
  private static final Set<String> CREATED_CONCURRENTLY =
      Set.of("42P07", "42710", "23505", "42S01");

  private static final int CREATE_ATTEMPTS = 5;

  /** Every column the store reads or writes, so a table of another shape fails at start-up. */
  private static final String PROBE_COLUMNS =
      "key_hash, namespace, key_value, fingerprint, token, outcome, created_at, expires_at";

  private Schema() {}

  /** The DDL for {@code dialect}, for a table named {@code table}. */
  static String ddl(Dialect dialect, TableName table) {
    String resource = dialect == Dialect.POSTGRESQL ? "postgresql.sql" : "mariadb.sql";
    String text;
    try (InputStream in = Schema.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(
            "resource dev/idempotent/jdbc/"
                + resource
                + " is missing from the idempotent-jdbc jar");
      }
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return text.replace(DEFAULT_INDEX, table.table() + "_expires_at_idx")
        .replace(DEFAULT_TABLE, table.qualified());
  }

  /** The DDL split into statements, comment lines left in place. */
  static List<String> statements(String ddl) {
    List<String> statements = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : ddl.split("\n", -1)) {
      if (line.isBlank() || line.strip().startsWith("--")) {
        continue;
      }
      current.append(line).append('\n');
      if (line.strip().endsWith(";")) {
        String statement = current.toString().strip();
        statements.add(statement.substring(0, statement.length() - 1));
        current.setLength(0);
      }
    }
    if (!current.toString().isBlank()) {
      statements.add(current.toString().strip());
    }
    return statements;
  }

  /**
   * Creates the table and its index unless the table is already there, then checks that it has
   * every column the store uses.
   *
   * @return true if this call ran the DDL
   */
  static boolean create(Connection connection, Dialect dialect, TableName table)
      throws SQLException {
    if (exists(connection, dialect, table)) {
      require(connection, table);
      return false;
    }
    int conflicts = runDdl(connection, dialect, table);
    // IF NOT EXISTS also passes over a table of another shape: check it has our columns.
    require(connection, table);
    LOG.info(
        "Idempotency records table {} is ready ({}; {} concurrent creations met)",
        table,
        dialect,
        conflicts);
    return true;
  }

  /**
   * Runs the DDL, and runs it again when another session created the same object at the same
   * moment; the second run's {@code IF NOT EXISTS} then finds it.
   *
   * @return how many concurrent creations it met
   */
  static int runDdl(Connection connection, Dialect dialect, TableName table) throws SQLException {
    List<String> statements = statements(ddl(dialect, table));
    for (int attempt = 1; ; attempt++) {
      try (Statement statement = connection.createStatement()) {
        for (String sql : statements) {
          statement.execute(sql);
        }
        return attempt - 1;
      } catch (SQLException e) {
        if (attempt >= CREATE_ATTEMPTS || !CREATED_CONCURRENTLY.contains(e.getSQLState())) {
          throw e;
        }
        LOG.debug(
            "Another session created {} at the same moment ({}); running the DDL again",
            table,
            e.getSQLState());
      }
    }
  }

  /**
   * Checks that the table is there with every column the store uses.
   *
   * @throws SQLException when it is not, with the database's own reason as the cause
   */
  static void require(Connection connection, TableName table) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.executeQuery(probe(table)).close();
    } catch (SQLException e) {
      throw new SQLException(
          "the idempotency records table "
              + table
              + " is missing or lacks some of the columns "
              + PROBE_COLUMNS
              + " ("
              + e.getMessage()
              + "). Create it with the DDL of JdbcIdempotencyStore.ddl(dialect, \""
              + table
              + "\"), or let the store create it (createTable(true), the default).",
          e.getSQLState(),
          e);
    }
  }

  /**
   * Whether the table exists, asked of the catalog rather than by querying the table, so that a
   * first start does not make the driver log an error.
   */
  private static boolean exists(Connection connection, Dialect dialect, TableName table)
      throws SQLException {
    String sql =
        dialect == Dialect.POSTGRESQL
            ? "SELECT COUNT(*) FROM (SELECT to_regclass(?) AS t) r WHERE t IS NOT NULL"
            : "SELECT COUNT(*) FROM information_schema.tables"
                + " WHERE table_schema = COALESCE(?, DATABASE()) AND table_name = ?";
    try (PreparedStatement ps = connection.prepareStatement(sql)) {
      if (dialect == Dialect.POSTGRESQL) {
        ps.setString(1, table.qualified());
      } else {
        ps.setString(1, table.schema());
        ps.setString(2, table.table());
      }
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() && rs.getLong(1) > 0;
      }
    }
  }

  private static String probe(TableName table) {
    return "SELECT " + PROBE_COLUMNS + " FROM " + table.qualified() + " WHERE 1 = 0";
  }
}
