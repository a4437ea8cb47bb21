-- Idempotency records for dev.idempotent.jdbc.JdbcIdempotencyStore on PostgreSQL.
-- The store runs this when the table is missing (unless built with createTable(false)).
-- JdbcIdempotencyStore.ddl(Dialect.POSTGRESQL, "my_table") prints it for another table name
-- (the index is always named <table>_expires_at_idx).
CREATE TABLE IF NOT EXISTS idempotency_records (
  -- SHA-256 of the whole key (namespace and value): fixed-size, so any key fits the index.
  key_hash    BYTEA        NOT NULL PRIMARY KEY,
  -- The key in full, for operators; the store never reads these two back.
  namespace   TEXT         NOT NULL,
  key_value   TEXT         NOT NULL,
  -- The fingerprint of the first call's arguments, or NULL.
  fingerprint TEXT,
  -- In progress: the owner's fencing token, and no outcome.
  -- Completed: no token, and the outcome encoded by the engine's codec.
  token       VARCHAR(64),
  outcome     BYTEA,
  created_at  TIMESTAMPTZ  NOT NULL,
  -- The lease's end while in progress, the ttl's end once completed; judged by now().
  expires_at  TIMESTAMPTZ  NOT NULL,
  CHECK ((token IS NULL) <> (outcome IS NULL))
);
CREATE INDEX IF NOT EXISTS idempotency_records_expires_at_idx ON idempotency_records (expires_at);
