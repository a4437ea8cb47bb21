package dev.idempotent.spring;

import dev.idempotent.jdbc.JdbcIdempotencyStore;
import javax.sql.DataSource;

/**
 * Builds the JDBC store on the application's DataSource with the {@code idempotent.store.jdbc.*}
 * settings. The only class of the starter that names idempotent-jdbc types; loaded only when they
 * exist. The DataSource stays the application's: closing the store leaves it open.
 */
final class JdbcStores {
  static final String STORE_CLASS = "dev.idempotent.jdbc.JdbcIdempotencyStore";

  private JdbcStores() {}

  static JdbcIdempotencyStore create(IdempotencyProperties.Jdbc settings, DataSource dataSource) {
    return JdbcIdempotencyStore.builder(dataSource)
        .tableName(settings.getTableName())
        .createTable(settings.isCreateTable())
        .purgeInterval(settings.getPurgeInterval())
        .build();
  }
}
