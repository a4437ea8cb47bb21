package dev.idempotent.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.idempotent.IdempotencyEngine;
import dev.idempotent.IdempotentOperation;
import dev.idempotent.testing.RequiresServer;
import dev.idempotent.testing.TestServer;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A {@code redis-sentinel://} URI: the store asks a private Sentinel for the master. */
@RequiresServer(TestServer.REDIS_PROGRAMS)
class RedisSentinelTest {

  @Test
  void storeFindsTheMasterThroughSentinel() throws Exception {
    try (PrivateRedis master = PrivateRedis.start();
        PrivateRedis sentinel = PrivateRedis.startSentinel(master, "orders-master");
        RedisIdempotencyStore store =
            RedisIdempotencyStore.builder(
                    "redis-sentinel://127.0.0.1:" + sentinel.port() + "#orders-master")
                .build()) {
      AtomicInteger bodies = new AtomicInteger();
      IdempotentOperation<String> operation =
          IdempotencyEngine.builder()
              .store(store)
              .build()
              .operation("sentinel", String.class)
              .build();
      for (int i = 0; i < 3; i++) {
        assertEquals(
            "receipt",
            operation.execute(
                "k",
                () -> {
                  bodies.incrementAndGet();
                  return "receipt";
                }));
      }
      assertEquals(1, bodies.get());
      assertTrue(master.cli("EXISTS", "idempotent:8:sentinel:k").trim().equals("1"));
      System.out.println(
          "sentinel: 3 calls through " + sentinel.uri() + ", 1 execution on the master");
    }
  }
}
