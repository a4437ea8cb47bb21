package dev.idempotent.jdbc;

import dev.idempotent.testing.RequiresServer;
import dev.idempotent.testing.TestServer;

/** The conformance suite on MariaDB, spoken to in the MySQL dialect (no RETURNING). */
@RequiresServer(TestServer.MARIADB)
class MySqlDialectOnMariaDbStoreContractTest extends JdbcStoreContract {
  MySqlDialectOnMariaDbStoreContractTest() {
    super(TestDatabase.MYSQL_DIALECT_ON_MARIADB);
  }
}
