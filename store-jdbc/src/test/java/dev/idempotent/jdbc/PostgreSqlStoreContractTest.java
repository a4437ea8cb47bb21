package dev.idempotent.jdbc;

import dev.idempotent.testing.RequiresServer;
import dev.idempotent.testing.TestServer;

/** The conformance suite on PostgreSQL. */
@RequiresServer(TestServer.POSTGRESQL)
class PostgreSqlStoreContractTest extends JdbcStoreContract {
  PostgreSqlStoreContractTest() {
    super(TestDatabase.POSTGRESQL);
  }
}
