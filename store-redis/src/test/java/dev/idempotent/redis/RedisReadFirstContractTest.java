package dev.idempotent.redis;

import dev.idempotent.store.IdempotencyStore;
import dev.idempotent.test.IdempotencyStoreContract;
import dev.idempotent.testing.RequiresServer;
import dev.idempotent.testing.TestServer;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;

/**
 * Core's conformance suite with every acquire reading the record before the script, the path a
 * store takes while most acquires are duplicates.
 */
@RequiresServer(TestServer.REDIS)
class RedisReadFirstContractTest extends IdempotencyStoreContract {
  private static final String PREFIX = SharedRedis.uniquePrefix();

  @Override
  protected IdempotencyStore createStore() {
    return RedisIdempotencyStore.builder(SharedRedis.URI)
        .keyPrefix(PREFIX)
        .readFirst(RedisIdempotencyStore.ReadFirst.ALWAYS)
        .build();
  }

  @Override
  protected Duration shortDuration() {
    return Duration.ofMillis(400);
  }

  @AfterAll
  static void deleteTheRunsKeys() {
    long deleted = SharedRedis.deleteKeys(PREFIX);
    System.out.println("contract (read first): deleted " + deleted + " keys under " + PREFIX);
  }
}
