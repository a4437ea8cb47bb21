package dev.idempotent.jdbc;

import java.util.regex.Pattern;

/**
 * The validated name of the records table: an unquoted SQL identifier, optionally qualified by a
 * schema (PostgreSQL) or database (MariaDB, MySQL). It is written into SQL text as it is, so the
 * validation is what keeps a configured name from becoming SQL. Immutable.
 */
final class TableName {
  /** Leaves room for the {@code _expires_at_idx} suffix within PostgreSQL's 63-byte names. */
  static final int MAX_TABLE_LENGTH = 48;

  private static final int MAX_SCHEMA_LENGTH = 63;
  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private final String qualified;
  private final String schema;
  private final String table;

  private TableName(String qualified, String schema, String table) {
    this.qualified = qualified;
    this.schema = schema;
    this.table = table;
  }

  /**
   * Parses {@code table} or {@code schema.table}.
   *
   * @throws IllegalArgumentException when the name is not such an identifier
   */
  static TableName of(String name) {
    if (name == null) {
      throw new NullPointerException("tableName");
    }
    int dot = name.indexOf('.');
    String schema = dot < 0 ? null : name.substring(0, dot);
    String table = dot < 0 ? name : name.substring(dot + 1);
    boolean valid =
        IDENTIFIER.matcher(table).matches()
            && table.length() <= MAX_TABLE_LENGTH
            && (schema == null
                || (IDENTIFIER.matcher(schema).matches() && schema.length() <= MAX_SCHEMA_LENGTH));
    if (!valid) {
      throw new IllegalArgumentException(
          "JdbcIdempotencyStore.Builder.tableName must be an unquoted SQL identifier, optionally"
              + " qualified by a schema as schema.table: letters, digits and _, starting with a"
              + " letter or _, the table part at most "
              + MAX_TABLE_LENGTH
              + " characters; was '"
              + name
              + "'");
    }
    return new TableName(name, schema, table);
  }

  /** The name as given, for SQL: {@code table} or {@code schema.table}. */
  String qualified() {
    return qualified;
  }

  /** The schema (database) part, or null when the name is not qualified. */
  String schema() {
    return schema;
  }

  /** The table part alone, from which index names are derived. */
  String table() {
    return table;
  }

  @Override
  public String toString() {
    return qualified;
  }
}
