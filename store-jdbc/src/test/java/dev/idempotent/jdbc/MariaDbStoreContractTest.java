package dev.idempotent.jdbc;

import dev.idempotent.testing.RequiresServer;
import dev.idempotent.testing.TestServer;

/** The conformance suite on MariaDB. */
@RequiresServer(TestServer.MARIADB)
class MariaDbStoreContractTest extends JdbcStoreContract {
  MariaDbStoreContractTest() {
    super(TestDatabase.MARIADB);
  }
}
