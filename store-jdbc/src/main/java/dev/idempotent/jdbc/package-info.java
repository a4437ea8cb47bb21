/**
 * The JDBC store: idempotency records in one table of a PostgreSQL, MariaDB or MySQL database,
 * shared by every JVM that uses it. Start at {@link dev.idempotent.jdbc.JdbcIdempotencyStore}.
 */
package dev.idempotent.jdbc;
