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
import java.util.Locale;
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
      require(connection, dialect, table);
      return false;
    }
    int conflicts = runDdl(connection, dialect, table);
    // IF NOT EXISTS also passes over a table of another shape: check it has our columns.
    require(connection, dialect, table);
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
   * Checks that the table is there with every column the store uses, that the primary key is a
   * binary column, and warns when the key columns cannot hold every character.
   *
   * @throws SQLException when it is not, with the database's own reason as the cause, or when
   *     {@code key_hash} is a text column
   */
  static void require(Connection connection, Dialect dialect, TableName table) throws SQLException {
    requireColumns(connection, table);
    for (String warning : checkKeyColumns(connection, dialect, table)) {
      LOG.warn(warning);
    }
  }

  /**
   * Checks how the table keeps keys. The primary key {@code key_hash} must compare bytes: in a text
   * column, a case-insensitive or accent-insensitive collation, or one that ignores trailing spaces
   * (MariaDB's PAD SPACE collations), can make two different hashes equal, so two keys would share
   * a record. The columns that keep the key's text only serve operators, but if they cannot hold a
   * character (a MariaDB column that is not utf8mb4, a PostgreSQL database that is not UTF8), calls
   * with such a key fail.
   *
   * @return warnings naming each text column that cannot hold every character, and the fix
   * @throws SQLException when {@code key_hash} is not a binary column, naming the fix
   */
  static List<String> checkKeyColumns(Connection connection, Dialect dialect, TableName table)
      throws SQLException {
    boolean postgres = dialect == Dialect.POSTGRESQL;
    String sql =
        postgres
            ? "SELECT column_name, data_type, NULL, NULL FROM information_schema.columns"
                + " WHERE table_schema = COALESCE(LOWER(?), current_schema())"
                + " AND table_name = LOWER(?)"
                + " AND column_name IN ('key_hash', 'namespace', 'key_value')"
            : "SELECT column_name, data_type, character_set_name, character_maximum_length"
                + " FROM information_schema.columns"
                + " WHERE table_schema = COALESCE(?, DATABASE()) AND table_name = ?"
                + " AND column_name IN ('key_hash', 'namespace', 'key_value')";
    List<String> warnings = new ArrayList<>();
    try (PreparedStatement ps = connection.prepareStatement(sql)) {
      ps.setString(1, table.schema());
      ps.setString(2, table.table());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String column = rs.getString(1).toLowerCase(Locale.ROOT);
          String type = rs.getString(2).toLowerCase(Locale.ROOT);
          String charset = rs.getString(3);
          if (column.equals("key_hash")) {
            long length = rs.getLong(4);
            requireBinaryKey(
                dialect, table, rs.wasNull() || length >= 32 ? type : type + "(" + length + ")");
          } else if (!postgres && charset != null && !charset.equalsIgnoreCase("utf8mb4")) {
            warnings.add(
                String.format(
                    "Idempotency records table %s: column %s has character set %s, which cannot"
                        + " hold every character, so a call whose key has, for example, an emoji"
                        + " fails with IdempotencyStoreException (two keys still never share a"
                        + " record: the primary key is the hash of the key). Fix: ALTER TABLE %s"
                        + " CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_bin",
                    table, column, charset, table.qualified()));
          }
        }
      }
    }
    if (postgres) {
      try (Statement statement = connection.createStatement();
          ResultSet rs = statement.executeQuery("SHOW server_encoding")) {
        String encoding = rs.next() ? rs.getString(1) : "UTF8";
        if (!encoding.equalsIgnoreCase("UTF8")) {
          warnings.add(
              String.format(
                  "Idempotency records table %s: the database's encoding is %s, not UTF8, so a"
                      + " call whose key has a character outside it fails with"
                      + " IdempotencyStoreException (two keys still never share a record: the"
                      + " primary key is the hash of the key). Fix: keep the table in a database"
                      + " created with ENCODING 'UTF8'",
                  table, encoding));
        }
      }
    }
    return warnings;
  }

  private static void requireBinaryKey(Dialect dialect, TableName table, String type)
      throws SQLException {
    boolean postgres = dialect == Dialect.POSTGRESQL;
    boolean binary =
        postgres ? type.equals("bytea") : type.equals("binary") || type.equals("varbinary");
    if (binary) {
      return;
    }
    throw new SQLException(
        String.format(
            "the column key_hash of the idempotency records table %s has type %s, but the store"
                + " needs a binary column of 32 bytes (%s): a text column's collation may ignore"
                + " case, accents or trailing spaces, and a shorter one cuts hashes, and then two"
                + " different keys would share a record. Records live only for their ttl, so drop"
                + " the table and let the store create it (createTable(true)), or create it with"
                + " the DDL of JdbcIdempotencyStore.ddl(Dialect.%s, \"%s\")%s.",
            table,
            type,
            postgres ? "BYTEA" : "BINARY(32)",
            dialect.name(),
            table,
            postgres
                ? ""
                : "; or convert it: ALTER TABLE "
                    + table.qualified()
                    + " MODIFY key_hash BINARY(32) NOT NULL"),
        "42804");
  }

  private static void requireColumns(Connection connection, TableName table) throws SQLException {
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
