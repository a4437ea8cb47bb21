package dev.idempotent.jdbc;

import dev.idempotent.store.Acquisition;
import dev.idempotent.store.Outcome;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * The statements that read and write records, for one SQL dialect. Each method runs on a connection
 * in autocommit mode that the store lends it, so every statement is its own transaction and its
 * effect is visible to every other process the moment it returns.
 *
 * <p>A record is in progress while {@code token} is set (and {@code outcome} is null), completed
 * once {@code outcome} is set (and {@code token} is null). Every statement judges expiry by the
 * database's clock, so JVMs whose clocks disagree still agree on whether a lease has run out.
 * {@code complete}, {@code release} and {@code renew} are one statement each, guarded by the token
 * and by the record being unexpired; {@code acquire} differs by dialect. Immutable and thread-safe.
 */
abstract class RecordSql {
  /** How often an acquire starts over when the record it met vanished before it could read it. */
  static final int ACQUIRE_ROUNDS = 10;

  private final String completeSql;
  private final String releaseSql;
  private final String renewSql;

  /**
   * @param table the records table
   * @param now the dialect's expression for the current time
   * @param nowPlusMicros the dialect's expression for the current time plus a bound number of
   *     microseconds
   */
  RecordSql(TableName table, String now, String nowPlusMicros) {
    String t = table.qualified();
    this.completeSql =
        "UPDATE "
            + t
            + " SET outcome = ?, token = NULL, expires_at = "
            + nowPlusMicros
            + " WHERE key_hash = ? AND token = ? AND expires_at > "
            + now;
    this.releaseSql =
        "DELETE FROM " + t + " WHERE key_hash = ? AND token = ? AND expires_at > " + now;
    this.renewSql =
        "UPDATE "
            + t
            + " SET expires_at = "
            + nowPlusMicros
            + " WHERE key_hash = ? AND token = ? AND expires_at > "
            + now;
  }

  /**
   * Claims the key for {@code token}, or answers what holds it.
   *
   * @param key the key's columns
   * @param fingerprint the fingerprint to keep, or null
   * @param token the new record's fencing token
   * @param leaseMicros the lease
   */
  abstract Acquisition acquire(
      Connection connection, KeyColumns key, String fingerprint, String token, long leaseMicros)
      throws SQLException;

  /** Deletes at most {@code limit} expired records; returns how many it deleted. */
  abstract int purge(Connection connection, int limit) throws SQLException;

  /** One compare-and-set UPDATE: the in-progress record holding {@code token} becomes completed. */
  final boolean complete(
      Connection connection, byte[] keyHash, String token, byte[] outcome, long ttlMicros)
      throws SQLException {
    try (PreparedStatement ps = connection.prepareStatement(completeSql)) {
      ps.setBytes(1, outcome);
      ps.setLong(2, ttlMicros);
      ps.setBytes(3, keyHash);
      ps.setString(4, token);
      return ps.executeUpdate() == 1;
    }
  }

  /** One DELETE of the in-progress record holding {@code token}. */
  final boolean release(Connection connection, byte[] keyHash, String token) throws SQLException {
    try (PreparedStatement ps = connection.prepareStatement(releaseSql)) {
      ps.setBytes(1, keyHash);
      ps.setString(2, token);
      return ps.executeUpdate() == 1;
    }
  }

  /** One UPDATE that moves the lease's end of the record holding {@code token}. */
  final boolean renew(Connection connection, byte[] keyHash, String token, long leaseMicros)
      throws SQLException {
    try (PreparedStatement ps = connection.prepareStatement(renewSql)) {
      ps.setLong(1, leaseMicros);
      ps.setBytes(2, keyHash);
      ps.setString(3, token);
      return ps.executeUpdate() == 1;
    }
  }

  /** The answer for a live record that this call did not claim. */
  static Acquisition found(String fingerprint, byte[] outcome) {
    return outcome != null
        ? Acquisition.completed(fingerprint, Outcome.encoded(outcome))
        : Acquisition.inProgress(fingerprint);
  }

  /** The error for an acquire that kept meeting records that vanished before it could read them. */
  static SQLException churned() {
    return new SQLException(
        "acquire met a record that vanished before it could be read "
            + ACQUIRE_ROUNDS
            + " times in a row; the key is being released and claimed faster than it can be read");
  }
}
