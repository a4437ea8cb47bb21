package dev.idempotent.jdbc;

/** The conformance suite on MariaDB. */
class MariaDbStoreContractTest extends JdbcStoreContract {
  MariaDbStoreContractTest() {
    super(TestDatabase.MARIADB);
  }
}
