package dev.idempotent.jdbc;

/** The conformance suite on PostgreSQL. */
class PostgreSqlStoreContractTest extends JdbcStoreContract {
  PostgreSqlStoreContractTest() {
    super(TestDatabase.POSTGRESQL);
  }
}
