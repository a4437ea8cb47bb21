package dev.idempotent.jdbc;

import dev.idempotent.store.Acquisition;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * PostgreSQL: acquire is one statement that reads the live record and, only when there is none,
 * inserts with {@code ON CONFLICT (key_hash) DO UPDATE ... WHERE expires_at <= now()}, which takes
 * over an expired record atomically under its row lock. A duplicate of a completed call is
 * therefore a plain index read that takes no lock and writes nothing. Only when another session
 * inserted the same key after this statement's snapshot was taken (the insert then meets a row the
 * read did not see) does acquire run a second statement, a read with a fresh snapshot.
 */
final class PostgreSqlRecords extends RecordSql {
  private static final String NOW = "now()";
  private static final String NOW_PLUS = "now() + CAST(? AS BIGINT) * INTERVAL '1 microsecond'";

  private final String acquireSql;
  private final String readSql;
  private final String purgeSql;

  PostgreSqlRecords(TableName table) {
    super(table, NOW, NOW_PLUS);
    String t = table.qualified();
    this.acquireSql =
        "WITH live AS (SELECT token, fingerprint, outcome FROM "
            + t
            + " WHERE key_hash = ? AND expires_at > now()),"
            + " claimed AS (INSERT INTO "
            + t
            + " AS r (key_hash, namespace, key_value, fingerprint, token, outcome, created_at,"
            + " expires_at)"
            + " SELECT CAST(? AS BYTEA), CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT),"
            + " CAST(? AS VARCHAR(64)), CAST(NULL AS BYTEA), now(), "
            + NOW_PLUS
            + " WHERE NOT EXISTS (SELECT 1 FROM live)"
            + " ON CONFLICT (key_hash) DO UPDATE SET namespace = EXCLUDED.namespace,"
            + " key_value = EXCLUDED.key_value, fingerprint = EXCLUDED.fingerprint,"
            + " token = EXCLUDED.token, outcome = NULL, created_at = EXCLUDED.created_at,"
            + " expires_at = EXCLUDED.expires_at"
            + " WHERE r.expires_at <= now()"
            + " RETURNING r.token)"
            + " SELECT TRUE AS claimed, token, CAST(NULL AS TEXT) AS fingerprint,"
            + " CAST(NULL AS BYTEA) AS outcome FROM claimed"
            + " UNION ALL SELECT FALSE, token, fingerprint, outcome FROM live";
    this.readSql =
        "SELECT fingerprint, outcome FROM " + t + " WHERE key_hash = ? AND expires_at > now()";
    this.purgeSql =
        "DELETE FROM "
            + t
            + " WHERE ctid = ANY (ARRAY(SELECT ctid FROM "
            + t
            + " WHERE expires_at <= now() LIMIT ? FOR UPDATE SKIP LOCKED))"
            + " AND expires_at <= now()";
  }

  @Override
  Acquisition acquire(
      Connection connection, KeyColumns key, String fingerprint, String token, long leaseMicros)
      throws SQLException {
    for (int round = 0; round < ACQUIRE_ROUNDS; round++) {
      try (PreparedStatement ps = connection.prepareStatement(acquireSql)) {
        ps.setBytes(1, key.hash);
        ps.setBytes(2, key.hash);
        ps.setString(3, key.namespace);
        ps.setString(4, key.value);
        ps.setString(5, fingerprint);
        ps.setString(6, token);
        ps.setLong(7, leaseMicros);
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next()) {
            return rs.getBoolean(1)
                ? Acquisition.acquired(token)
                : found(rs.getString(3), rs.getBytes(4));
          }
        }
      }
      // A live record committed after the statement's snapshot blocked the insert: read it.
      try (PreparedStatement ps = connection.prepareStatement(readSql)) {
        ps.setBytes(1, key.hash);
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next()) {
            return found(rs.getString(1), rs.getBytes(2));
          }
        }
      }
      // It was released or expired in between: claim again.
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
