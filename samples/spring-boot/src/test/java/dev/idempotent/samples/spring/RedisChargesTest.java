package dev.idempotent.samples.spring;

import dev.idempotent.testing.RequiresServer;
import dev.idempotent.testing.TestServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;

/**
 * The sample with {@code idempotent.store.redis.uri} set: records in the shared Redis at
 * 127.0.0.1:6379, under a key prefix of this run's own, deleted afterwards.
 */
@RequiresServer(TestServer.REDIS)
class RedisChargesTest extends ChargesOverHttp {
  private final String prefix = "idempotent-test-sample-" + UUID.randomUUID() + ":";

  @Override
  String[] storeArguments() {
    return new String[] {
      "--idempotent.store.redis.uri=redis://127.0.0.1:6379",
      "--idempotent.store.redis.key-prefix=" + prefix
    };
  }

  @AfterAll
  void deleteRecords() {
    RedisClient client = RedisClient.create("redis://127.0.0.1:6379");
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      List<String> keys = connection.sync().keys(prefix + "*");
      if (!keys.isEmpty()) {
        connection.sync().unlink(keys.toArray(new String[0]));
      }
    } finally {
      client.shutdown();
    }
  }
}
