package dev.idempotent.jdbc;

import dev.idempotent.store.Acquisition;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * MySQL (and MariaDB before 10.5), which have no {@code RETURNING}: acquire is {@code INSERT
 * IGNORE}, whose update count says whether it inserted. A first call is that one statement. When
 * the key was there, one read answers a live record; an expired one is taken over by an {@code
 * UPDATE ... WHERE expires_at <= UTC_TIMESTAMP(6)} that only one session can win, since InnoDB
 * re-checks the condition under the row's lock. The table, times and the other statements are
 * MariaDB's.
 *
 * <p>{@code INSERT IGNORE} would also turn a value that does not fit into a warning; the values
 * bound here (a 32-byte hash, a 22-character token, texts into MEDIUMTEXT) always fit.
 */
final class MySqlRecords extends MariaDbRecords {
  private final String insertSql;
  private final String readSql;
  private final String takeOverSql;

  MySqlRecords(TableName table) {
    super(table);
    String t = table.qualified();
    this.insertSql = "INSERT IGNORE" + insertSql(t);
    this.readSql =
        "SELECT fingerprint, outcome, expires_at > "
            + NOW
            + " AS live FROM "
            + t
            + " WHERE key_hash = ?";
    this.takeOverSql =
        "UPDATE "
            + t
            + " SET namespace = ?, key_value = ?, fingerprint = ?, token = ?, outcome = NULL,"
            + " created_at = "
            + NOW
            + ", expires_at = "
            + NOW_PLUS
            + " WHERE key_hash = ? AND expires_at <= "
            + NOW;
  }

  @Override
  Acquisition acquire(
      Connection connection, KeyColumns key, String fingerprint, String token, long leaseMicros)
      throws SQLException {
    for (int round = 0; round < ACQUIRE_ROUNDS; round++) {
      try (PreparedStatement ps = connection.prepareStatement(insertSql)) {
        bindInsert(ps, key, fingerprint, token, leaseMicros);
        if (ps.executeUpdate() == 1) {
          return Acquisition.acquired(token);
        }
      }
      try (PreparedStatement ps = connection.prepareStatement(readSql)) {
        ps.setBytes(1, key.hash);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            continue;
          }
          if (rs.getBoolean(3)) {
            return found(rs.getString(1), rs.getBytes(2));
          }
        }
      }
      try (PreparedStatement ps = connection.prepareStatement(takeOverSql)) {
        ps.setString(1, key.namespace);
        ps.setString(2, key.value);
        ps.setString(3, fingerprint);
        ps.setString(4, token);
        ps.setLong(5, leaseMicros);
        ps.setBytes(6, key.hash);
        if (ps.executeUpdate() == 1) {
          return Acquisition.acquired(token);
        }
      }
    }
    throw churned();
  }
}
