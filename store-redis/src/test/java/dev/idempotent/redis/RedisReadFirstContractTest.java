package dev.idempotent.redis;

import dev.idempotent.store.IdempotencyStore;
import dev.idempotent.testing.RequiresServer;
import dev.idempotent.testing.TestServer;

/**
 * Core's conformance suite with every acquire reading the record before the script, the path a
 * store takes while most acquires are duplicates. Same server, prefix and clean-up as {@link
 * RedisStoreContractTest}.
 */
@RequiresServer(TestServer.REDIS)
class RedisReadFirstContractTest extends RedisStoreContractTest {
  @Override
  protected IdempotencyStore createStore() {
    return RedisIdempotencyStore.builder(SharedRedis.URI)
        .keyPrefix(PREFIX)
        .readFirst(RedisIdempotencyStore.ReadFirst.ALWAYS)
        .build();
  }
}
