-- Idempotency records for dev.idempotent.jdbc.JdbcIdempotencyStore on MariaDB and MySQL (InnoDB).
-- The store runs this when the table is missing (unless built with createTable(false)).
-- JdbcIdempotencyStore.ddl(Dialect.MARIADB, "my_table") prints it for another table name.
CREATE TABLE IF NOT EXISTS idempotency_records (
  -- SHA-256 of the whole key (namespace and value): fixed-size, so any key fits the index.
  key_hash    BINARY(32)   NOT NULL,
  -- The key in full, for operators; the store never reads these two back.
  namespace   MEDIUMTEXT   NOT NULL,
  key_value   MEDIUMTEXT   NOT NULL,
  -- The fingerprint of the first call's arguments, or NULL.
  fingerprint TEXT         NULL,
  -- In progress: the owner's fencing token, and no outcome.
  -- Completed: no token, and the outcome encoded by the engine's codec.
  token       VARCHAR(64)  NULL,
  outcome     LONGBLOB     NULL,
  -- Times in UTC, from UTC_TIMESTAMP(6).
  created_at  DATETIME(6)  NOT NULL,
  -- The lease's end while in progress, the ttl's end once completed.
  expires_at  DATETIME(6)  NOT NULL,
  PRIMARY KEY (key_hash),
  INDEX expires_at_idx (expires_at),
  CHECK ((token IS NULL) <> (outcome IS NULL))
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
