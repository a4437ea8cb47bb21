package dev.idempotent.jdbc;

/** The conformance suite on MariaDB, spoken to in the MySQL dialect (no RETURNING). */
class MySqlDialectOnMariaDbStoreContractTest extends JdbcStoreContract {
  MySqlDialectOnMariaDbStoreContractTest() {
    super(TestDatabase.MYSQL_DIALECT_ON_MARIADB);
  }
}
