package dev.idempotent.redis;

import dev.idempotent.store.IdempotencyStore;
import dev.idempotent.test.IdempotencyStoreContract;
import dev.idempotent.testing.RequiresServer;
import dev.idempotent.testing.TestServer;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;

/** Core's conformance suite against the shared Redis server on 127.0.0.1:6379. */
@RequiresServer(TestServer.REDIS)
class RedisStoreContractTest extends IdempotencyStoreContract {
  static final String PREFIX = SharedRedis.uniquePrefix();

  @Override
  protected IdempotencyStore createStore() {
    return RedisIdempotencyStore.builder(SharedRedis.URI).keyPrefix(PREFIX).build();
  }

  @Override
  protected Duration shortDuration() {
    return Duration.ofMillis(400);
  }

  @AfterAll
  static void deleteTheRunsKeys() {
    long deleted = SharedRedis.deleteKeys(PREFIX);
    System.out.println("contract (standalone): deleted " + deleted + " keys under " + PREFIX);
  }
}
