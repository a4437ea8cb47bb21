package dev.idempotent.jdbc;

import dev.idempotent.store.Acquisition;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * MariaDB 10.5 and later: acquire is one {@code INSERT ... ON DUPLICATE KEY UPDATE ... RETURNING}.
 * On a duplicate key every column is assigned {@code IF(expires_at <= UTC_TIMESTAMP(6), new, old)},
 * with {@code expires_at} last because MariaDB evaluates the assignments left to right, each seeing
 * the ones before. InnoDB holds the row's exclusive lock while it does so, which makes the takeover
 * of an expired record atomic; {@code RETURNING} then answers the row as it stands: our token when
 * we inserted or took over, otherwise the live record's token, fingerprint and outcome. One
 * statement in every case.
 *
 * <p>Times are {@code DATETIME(6)} in UTC from {@code UTC_TIMESTAMP(6)}, independent of each
 * session's time zone and free of {@code TIMESTAMP}'s 2038 limit.
 */
class MariaDbRecords extends RecordSql {
  static final String NOW = "UTC_TIMESTAMP(6)";
  static final String NOW_PLUS = "UTC_TIMESTAMP(6) + INTERVAL ? MICROSECOND";

  private final String acquireSql;
  private final String purgeSql;

  MariaDbRecords(TableName table) {
    super(table, NOW, NOW_PLUS);
    String t = table.qualified();
    String expired = "expires_at <= " + NOW;
    this.acquireSql =
        insertSql(t)
            + " ON DUPLICATE KEY UPDATE"
            + takeOver("namespace", expired, "VALUES(namespace)")
            + ","
            + takeOver("key_value", expired, "VALUES(key_value)")
            + ","
            + takeOver("fingerprint", expired, "VALUES(fingerprint)")
            + ","
            + takeOver("token", expired, "VALUES(token)")
            + ","
            + takeOver("outcome", expired, "NULL")
            + ","
            + takeOver("created_at", expired, "VALUES(created_at)")
            + ","
            + takeOver("expires_at", expired, "VALUES(expires_at)")
            + " RETURNING token, fingerprint, outcome";
    this.purgeSql = "DELETE FROM " + t + " WHERE expires_at <= " + NOW + " LIMIT ?";
  }

  /** The INSERT shared with MySQL: the seven columns bound in this order, outcome NULL. */
  static String insertSql(String table) {
    return " INTO "
        + table
        + " (key_hash, namespace, key_value, fingerprint, token, outcome, created_at, expires_at)"
        + " VALUES (?, ?, ?, ?, ?, NULL, "
        + NOW
        + ", "
        + NOW_PLUS
        + ")";
  }

  static void bindInsert(
      PreparedStatement ps, KeyColumns key, String fingerprint, String token, long leaseMicros)
      throws SQLException {
    ps.setBytes(1, key.hash);
    ps.setString(2, key.namespace);
    ps.setString(3, key.value);
    ps.setString(4, fingerprint);
    ps.setString(5, token);
    ps.setLong(6, leaseMicros);
  }

  private static String takeOver(String column, String expired, String value) {
    return " " + column + " = IF(" + expired + ", " + value + ", " + column + ")";
  }

  @Override
  Acquisition acquire(
      Connection connection, KeyColumns key, String fingerprint, String token, long leaseMicros)
      throws SQLException {
    for (int round = 0; round < ACQUIRE_ROUNDS; round++) {
      try (PreparedStatement ps = connection.prepareStatement("INSERT" + acquireSql)) {
        bindInsert(ps, key, fingerprint, token, leaseMicros);
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next()) {
            String holder = rs.getString(1);
            return token.equals(holder)
                ? Acquisition.acquired(token)
                : found(rs.getString(2), rs.getBytes(3));
          }
        }
      }
    }
    throw churned();
  }

  @Override
  int purge(Connection connection, int limit) throws SQLException {
    try (PreparedStatement ps = connection.prepareStatement(purgeSql)) {
      ps.setInt(1, limit);
      return ps.executeUpdate();
    }
  }
}
