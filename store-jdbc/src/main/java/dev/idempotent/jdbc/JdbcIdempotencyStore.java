package dev.idempotent.jdbc;

import dev.idempotent.IdempotencyStoreException;
import dev.idempotent.store.Acquisition;
import dev.idempotent.store.IdempotencyKey;
import dev.idempotent.store.IdempotencyStore;
import dev.idempotent.store.Outcome;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link IdempotencyStore} in one table of a PostgreSQL, MariaDB or MySQL database, shared by
 * every JVM that uses the database: the store for services that run on several machines.
 *
 * <pre>{@code
 * JdbcIdempotencyStore store = JdbcIdempotencyStore.builder(dataSource).build();
 * IdempotencyEngine engine = IdempotencyEngine.builder().store(store).build();
 * }</pre>
 *
 * <p><b>Table.</b> {@link Builder#build()} creates the table ({@value #DEFAULT_TABLE_NAME} unless
 * {@linkplain Builder#tableName named} otherwise) and its index on {@code expires_at} when they are
 * missing, safely when several instances start at once; {@link Builder#createTable(boolean)
 * createTable(false)} leaves that to the application's migrations, with the DDL of {@link
 * #ddl(Dialect, String)}. The primary key is the SHA-256 of the whole key, so keys of any length
 * fit; outcomes are kept as the bytes the engine's codec wrote.
 *
 * <p><b>Statements.</b> Each operation is one statement in autocommit mode on a connection borrowed
 * from the DataSource for that operation: {@code acquire} is an insert that claims the key, takes
 * over an expired record atomically, or answers the live one (PostgreSQL: {@code INSERT ... ON
 * CONFLICT}, plus one read when a concurrent insert won; MariaDB: {@code INSERT ... ON DUPLICATE
 * KEY UPDATE ... RETURNING}; MySQL: {@code INSERT IGNORE}, plus one read when the key was there);
 * {@code complete}, {@code release} and {@code renew} are one {@code UPDATE} or {@code DELETE}
 * each, guarded by the fencing token and by the record being unexpired. So a first call costs two
 * statements (acquire, complete) and a duplicate of a completed call one (two on MySQL). Expiry is
 * judged by the database's clock, never the JVM's. Deadlocks and serialization failures are retried
 * ({@value #TRANSIENT_ATTEMPTS} attempts); every other failure is thrown, and the engine fails the
 * call closed with an {@code IdempotencyStoreException}.
 *
 * <p><b>Transactions.</b> The store needs connections in autocommit mode and refuses others: an
 * in-progress record must be visible to every other process the moment it is written, and a
 * completed one must stay written whatever happens to the caller's transaction. Give it a
 * DataSource that hands out connections of its own (a plain pool, not one bound to the
 * application's transactions); it then works beside the application's transaction, never inside it.
 *
 * <p><b>Purge.</b> Expired records count as absent at once; {@link #purgeExpired()} deletes them in
 * bounded batches, and by default a daemon thread does so every {@linkplain Builder#purgeInterval
 * minute} until {@link #close()}.
 *
 * <p>Thread-safe.
 */
public final class JdbcIdempotencyStore implements IdempotencyStore, AutoCloseable {
  /** The table name unless {@link Builder#tableName(String)} sets another. */
  public static final String DEFAULT_TABLE_NAME = "idempotency_records";

  /** How many expired records one {@link #purgeExpired()} deletes at most, by default. */
  public static final int DEFAULT_PURGE_BATCH_SIZE = 1_000;

  /** How often the background purge runs, by default. */
  public static final Duration DEFAULT_PURGE_INTERVAL = Duration.ofMinutes(1);

  /** Attempts of an operation that meets a deadlock or a serialization failure. */
  static final int TRANSIENT_ATTEMPTS = 3;

  /** Durations beyond this are kept as this: every database here adds it to now() exactly. */
  static final Duration LONGEST = Duration.ofDays(36_500);

  private static final Logger LOG = LoggerFactory.getLogger(JdbcIdempotencyStore.class);
  private static final SecureRandom TOKENS = new SecureRandom();

  private final DataSource dataSource;
  private final Dialect dialect;
  private final TableName table;
  private final RecordSql sql;
  private final int purgeBatchSize;
  private final Purger purger;

  private JdbcIdempotencyStore(Builder b, Dialect dialect) {
    this.dataSource = b.dataSource;
    this.dialect = dialect;
    this.table = b.table;
    this.sql = dialect.records(table);
    this.purgeBatchSize = b.purgeBatchSize;
    this.purger = b.purgeInterval.isZero() ? null : Purger.start(this, b.purgeInterval);
  }

  /**
   * A builder for a store over {@code dataSource}.
   *
   * @param dataSource hands out connections to the database, ideally from a pool (HikariCP or
   *     another); connections must be in autocommit mode
   * @return a builder with the defaults
   */
  public static Builder builder(DataSource dataSource) {
    return new Builder(dataSource);
  }

  /**
   * The DDL that creates the table and its index, for applications that create tables in their own
   * migrations ({@link Builder#createTable(boolean) createTable(false)}). The same text ships in
   * this jar as {@code dev/idempotent/jdbc/postgresql.sql} and {@code
   * dev/idempotent/jdbc/mariadb.sql} (MariaDB and MySQL), for the default table name.
   *
   * @param dialect the database
   * @param tableName the table name, as {@link Builder#tableName(String)} accepts it
   * @return the statements, separated by semicolons and line breaks
   * @throws IllegalArgumentException when the table name is not a plain identifier
   */
  public static String ddl(Dialect dialect, String tableName) {
    return Schema.ddl(Objects.requireNonNull(dialect, "dialect"), TableName.of(tableName));
  }

  /**
   * Claims the key with a new random 128-bit token, takes over an expired record, or answers the
   * live one: one statement (PostgreSQL, MariaDB), plus one read when a concurrent insert won
   * (PostgreSQL) or when the key was there (MySQL).
   *
   * @param key the record's key
   * @param fingerprint the arguments' fingerprint to keep, or null
   * @param lease how long the new record holds the key
   * @return the answer; never null
   * @throws IdempotencyStoreException when the database fails
   */
  @Override
  public Acquisition acquire(IdempotencyKey key, String fingerprint, Duration lease) {
    KeyColumns columns = KeyColumns.of(key);
    String token = newToken();
    long micros = micros(lease);
    return run(
        "acquire a key",
        key,
        connection -> sql.acquire(connection, columns, fingerprint, token, micros));
  }

  /**
   * Stores the encoded outcome and the ttl in the record that {@code token} holds: one {@code
   * UPDATE ... WHERE key_hash = ? AND token = ? AND expires_at > now}.
   *
   * @param key the record's key
   * @param token the token of the acquisition
   * @param outcome the encoded outcome
   * @param ttl how long the completed record is kept
   * @return true if written; false if the record is gone, expired or holds another token
   * @throws IdempotencyStoreException when the database fails
   * @throws IllegalStateException when the outcome is not {@linkplain Outcome#encoded encoded}
   */
  @Override
  public boolean complete(IdempotencyKey key, String token, Outcome outcome, Duration ttl) {
    byte[] bytes = outcome.bytes();
    byte[] hash = KeyColumns.hash(key);
    long micros = micros(ttl);
    return run(
        "complete a record",
        key,
        connection -> sql.complete(connection, hash, token, bytes, micros));
  }

  /**
   * Deletes the in-progress record that {@code token} holds: one guarded {@code DELETE}.
   *
   * @param key the record's key
   * @param token the token of the acquisition
   * @return true if deleted; false if the record is gone, expired, completed or holds another token
   * @throws IdempotencyStoreException when the database fails
   */
  @Override
  public boolean release(IdempotencyKey key, String token) {
    byte[] hash = KeyColumns.hash(key);
    return run("release a record", key, connection -> sql.release(connection, hash, token));
  }

  /**
   * Moves the lease's end of the record that {@code token} holds to {@code lease} from now: one
   * guarded {@code UPDATE}.
   *
   * @param key the record's key
   * @param token the token of the acquisition
   * @param lease the new lease, from now
   * @return true if extended; false if the record is gone, expired, completed or holds another
   *     token
   * @throws IdempotencyStoreException when the database fails
   */
  @Override
  public boolean renew(IdempotencyKey key, String token, Duration lease) {
    byte[] hash = KeyColumns.hash(key);
    long micros = micros(lease);
    return run("renew a lease", key, connection -> sql.renew(connection, hash, token, micros));
  }

  /**
   * Deletes expired records, at most {@linkplain Builder#purgeBatchSize the batch size} of them, in
   * one short statement ({@code DELETE ... LIMIT n} on MariaDB and MySQL; a {@code ctid} sub-select
   * with {@code FOR UPDATE SKIP LOCKED} on PostgreSQL, so instances purging at once do not wait on
   * each other). Call it from the application's own scheduler when the background purge is off;
   * call it again while it returns the batch size to delete a backlog.
   *
   * @return how many records it deleted
   * @throws IdempotencyStoreException when the database fails
   */
  public int purgeExpired() {
    return run("purge expired records", null, connection -> sql.purge(connection, purgeBatchSize));
  }

  /**
   * The database dialect.
   *
   * @return as {@linkplain Builder#dialect set}, or detected at build
   */
  public Dialect dialect() {
    return dialect;
  }

  /**
   * The table's name.
   *
   * @return the name as configured, schema-qualified if it was
   */
  public String tableName() {
    return table.qualified();
  }

  /**
   * The most records one {@link #purgeExpired()} deletes.
   *
   * @return the batch size
   */
  public int purgeBatchSize() {
    return purgeBatchSize;
  }

  /**
   * Stops the background purge, if any, without waiting for a running batch to finish. The
   * DataSource stays open: it belongs to the application. Idempotent.
   */
  @Override
  public void close() {
    if (purger != null) {
      purger.stop();
    }
  }

  /**
   * The dialect and the table, for logs.
   *
   * @return {@code JdbcIdempotencyStore[dialect, table name]}
   */
  @Override
  public String toString() {
    return "JdbcIdempotencyStore[" + dialect.displayName + ", table " + table + "]";
  }

  /** One unit of work on a borrowed connection. */
  @FunctionalInterface
  interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  private <T> T run(String what, IdempotencyKey key, Work<T> work) {
    for (int attempt = 1; ; attempt++) {
      try (Connection connection = dataSource.getConnection()) {
        requireAutoCommit(connection);
        return work.run(connection);
      } catch (SQLException e) {
        if (attempt >= TRANSIENT_ATTEMPTS || !isTransient(e)) {
          throw failure(what, key, e);
        }
        pauseBeforeRetry(attempt, what, key, e);
      }
    }
  }

  private static boolean isTransient(SQLException e) {
    // 40001: serialization failure, and InnoDB's deadlock; 40P01: PostgreSQL's deadlock.
    String state = e.getSQLState();
    return "40001".equals(state) || "40P01".equals(state);
  }

  private void pauseBeforeRetry(int attempt, String what, IdempotencyKey key, SQLException e) {
    LOG.debug("Retrying to {} on {} after {}", what, table, describe(e));
    try {
      Thread.sleep(ThreadLocalRandom.current().nextLong(1, 1 + 10L * attempt));
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
      IdempotencyStoreException failure = failure(what, key, e);
      failure.addSuppressed(interrupted);
      throw failure;
    }
  }

  private IdempotencyStoreException failure(String what, IdempotencyKey key, SQLException e) {
    return new IdempotencyStoreException(
        "JDBC store ("
            + dialect.displayName
            + ", table "
            + table
            + ") failed to "
            + what
            + (key == null ? "" : " of namespace '" + key.namespace() + "'")
            + ": "
            + describe(e),
        e);
  }

  static String describe(SQLException e) {
    return (e.getSQLState() == null ? "" : "SQLState " + e.getSQLState() + ", ") + e.getMessage();
  }

  static void requireAutoCommit(Connection connection) throws SQLException {
    if (!connection.getAutoCommit()) {
      throw new SQLException(
          "the DataSource handed out a connection with autocommit off. The store needs autocommit:"
              + " an in-progress record must be visible to other processes the moment it is"
              + " written, and a completed one must not be rolled back with a caller's"
              + " transaction. Give the store a DataSource (pool) of its own with autocommit on,"
              + " not one bound to application transactions.",
          "55000");
    }
  }

  private static String newToken() {
    byte[] bytes = new byte[16];
    TOKENS.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  static long micros(Duration duration) {
    Duration d = duration.compareTo(LONGEST) > 0 ? LONGEST : duration;
    return Math.max(0, d.getSeconds() * 1_000_000L + d.getNano() / 1_000);
  }

  /** The databases the store speaks to. */
  public enum Dialect {
    /** PostgreSQL 9.5 or later (it needs {@code ON CONFLICT}; tested on 15). */
    POSTGRESQL("PostgreSQL"),
    /** MariaDB 10.5 or later (it needs {@code INSERT ... RETURNING}; tested on 10.11). */
    MARIADB("MariaDB"),
    /**
     * MySQL 8 or later, and MariaDB before 10.5: without {@code RETURNING}, a duplicate costs one
     * statement more. The table is MariaDB's.
     */
    MYSQL("MySQL");

    private static final Pattern VERSION = Pattern.compile("(\\d+)\\.(\\d+)");

    final String displayName;

    Dialect(String displayName) {
      this.displayName = displayName;
    }

    RecordSql records(TableName table) {
      switch (this) {
        case POSTGRESQL:
          return new PostgreSqlRecords(table);
        case MARIADB:
          return new MariaDbRecords(table);
        default:
          return new MySqlRecords(table);
      }
    }

    /**
     * The dialect of the database {@code metadata} describes.
     *
     * @throws SQLException when it is none of the supported ones
     */
    static Dialect detect(DatabaseMetaData metadata) throws SQLException {
      String product = metadata.getDatabaseProductName();
      String version = metadata.getDatabaseProductVersion();
      String both = (product + " " + version).toLowerCase(Locale.ROOT);
      if (both.contains("postgresql")) {
        return POSTGRESQL;
      }
      if (both.contains("mariadb")) {
        // MySQL's driver reports MariaDB as "5.5.5-10.11.6-MariaDB": the real version follows.
        String real = version.startsWith("5.5.5-") ? version.substring(6) : version;
        Matcher m = VERSION.matcher(real);
        if (m.find()) {
          int major = Integer.parseInt(m.group(1));
          int minor = Integer.parseInt(m.group(2));
          return major > 10 || (major == 10 && minor >= 5) ? MARIADB : MYSQL;
        }
        return MARIADB;
      }
      if (both.contains("mysql")) {
        return MYSQL;
      }
      throw new SQLException(
          "the DataSource connects to "
              + product
              + " "
              + version
              + "; JdbcIdempotencyStore supports PostgreSQL, MariaDB and MySQL. If this database"
              + " speaks one of those dialects, set it with JdbcIdempotencyStore.Builder.dialect.");
    }
  }

  /**
   * Settings for a {@link JdbcIdempotencyStore}. Not thread-safe; the store it builds is.
   *
   * <pre>{@code
   * JdbcIdempotencyStore store = JdbcIdempotencyStore.builder(dataSource)
   *     .tableName("payments_idempotency")
   *     .purgeInterval(Duration.ofMinutes(5))
   *     .build();
   * }</pre>
   */
  public static final class Builder {
    private final DataSource dataSource;
    private Dialect dialect;
    private TableName table = TableName.of(DEFAULT_TABLE_NAME);
    private boolean createTable = true;
    private Duration purgeInterval = DEFAULT_PURGE_INTERVAL;
    private int purgeBatchSize = DEFAULT_PURGE_BATCH_SIZE;

    private Builder(DataSource dataSource) {
      this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /**
     * The database's dialect; default: detected from the connection's metadata at {@link #build()}.
     * Set it together with {@code createTable(false)} and the store is built without connecting, so
     * it can be built while the database is down.
     *
     * @param dialect the database's dialect
     * @return this builder
     */
    public Builder dialect(Dialect dialect) {
      this.dialect = Objects.requireNonNull(dialect, "dialect");
      return this;
    }

    /**
     * The table's name; default {@value JdbcIdempotencyStore#DEFAULT_TABLE_NAME}. An unquoted
     * identifier (letters, digits, {@code _}; the table part at most 48 characters), optionally
     * qualified as {@code schema.table}.
     *
     * @param tableName the table's name
     * @return this builder
     * @throws IllegalArgumentException when it is not such an identifier
     */
    public Builder tableName(String tableName) {
      this.table = TableName.of(tableName);
      return this;
    }

    /**
     * Whether {@link #build()} creates the table and its index when they are missing; default true.
     * With false, the application creates them (see {@link JdbcIdempotencyStore#ddl}), and {@code
     * build()} only checks, when it connects, that the table has the expected columns.
     *
     * @param createTable whether to create a missing table
     * @return this builder
     */
    public Builder createTable(boolean createTable) {
      this.createTable = createTable;
      return this;
    }

    /**
     * How often a daemon thread of the store runs {@link JdbcIdempotencyStore#purgeExpired()},
     * repeating it while it deletes full batches (at most ten batches a run); default {@link
     * JdbcIdempotencyStore#DEFAULT_PURGE_INTERVAL}. {@link Duration#ZERO} turns the background
     * purge off, for applications that call {@code purgeExpired()} from their own scheduler. The
     * first run comes after a random part of one interval, so instances started together do not
     * purge in step.
     *
     * @param purgeInterval the time between purge runs, or zero for none
     * @return this builder
     * @throws IllegalArgumentException when negative
     */
    public Builder purgeInterval(Duration purgeInterval) {
      Objects.requireNonNull(purgeInterval, "purgeInterval");
      if (purgeInterval.isNegative()) {
        throw new IllegalArgumentException(
            "JdbcIdempotencyStore.Builder.purgeInterval must be positive, or zero for no"
                + " background purge; was "
                + purgeInterval);
      }
      this.purgeInterval = purgeInterval;
      return this;
    }

    /**
     * The most expired records one {@link JdbcIdempotencyStore#purgeExpired()} deletes; default
     * {@value JdbcIdempotencyStore#DEFAULT_PURGE_BATCH_SIZE}. Small batches keep each purge
     * statement short, so it holds its row locks only briefly.
     *
     * @param purgeBatchSize the most records one purge statement deletes
     * @return this builder
     * @throws IllegalArgumentException when not positive
     */
    public Builder purgeBatchSize(int purgeBatchSize) {
      if (purgeBatchSize <= 0) {
        throw new IllegalArgumentException(
            "JdbcIdempotencyStore.Builder.purgeBatchSize must be positive, was " + purgeBatchSize);
      }
      this.purgeBatchSize = purgeBatchSize;
      return this;
    }

    /**
     * Builds the store: detects the dialect unless set, and creates the table unless told not to
     * (or, when told not to, checks it), on one connection from the DataSource. Several instances
     * building at the same moment against a database without the table all succeed.
     *
     * @return the store
     * @throws IdempotencyStoreException when the database cannot be reached, is not a supported
     *     one, hands out connections with autocommit off, or the table cannot be created or lacks
     *     columns
     */
    public JdbcIdempotencyStore build() {
      Dialect resolved = dialect;
      if (resolved == null || createTable) {
        try (Connection connection = dataSource.getConnection()) {
          requireAutoCommit(connection);
          if (resolved == null) {
            resolved = Dialect.detect(connection.getMetaData());
          }
          if (createTable) {
            Schema.create(connection, resolved, table);
          } else {
            Schema.require(connection, resolved, table);
          }
        } catch (SQLException e) {
          throw new IdempotencyStoreException(
              "JdbcIdempotencyStore could not be built on table "
                  + table
                  + (resolved == null ? "" : " (" + resolved.displayName + ")")
                  + ": "
                  + describe(e),
              e);
        }
      }
      return new JdbcIdempotencyStore(this, resolved);
    }
  }
}
