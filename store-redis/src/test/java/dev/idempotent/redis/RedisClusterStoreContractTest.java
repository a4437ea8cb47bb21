package dev.idempotent.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.idempotent.store.Acquisition;
import dev.idempotent.store.IdempotencyKey;
import dev.idempotent.store.IdempotencyStore;
import dev.idempotent.test.IdempotencyStoreContract;
import dev.idempotent.testing.RequiresServer;
import dev.idempotent.testing.TestServer;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Core's conformance suite against a private three-node Redis Cluster: every operation touches one
 * key, so records spread over the nodes without hash tags.
 */
@RequiresServer(TestServer.REDIS_PROGRAMS)
class RedisClusterStoreContractTest extends IdempotencyStoreContract {
  private static PrivateRedisCluster cluster;

  @BeforeAll
  static void startCluster() throws Exception {
    cluster = PrivateRedisCluster.start();
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Override
  protected IdempotencyStore createStore() {
    return RedisIdempotencyStore.clusterBuilder(cluster.seedUris()).build();
  }

  @Override
  protected Duration shortDuration() {
    return Duration.ofMillis(400);
  }

  @Test
  void recordsSpreadOverEveryNodeWithoutHashTags() throws Exception {
    String namespace = "spread-" + UUID.randomUUID();
    int keys = 300;
    for (int i = 0; i < keys; i++) {
      IdempotencyKey key = IdempotencyKey.of(namespace, "order-" + i);
      Acquisition a = store.acquire(key, "fp", longDuration());
      assertEquals(Acquisition.Status.ACQUIRED, a.status());
      assertTrue(store.complete(key, a.token(), outcome("v" + i), longDuration()));
      assertEquals(Acquisition.Status.COMPLETED, store.acquire(key, "fp", longDuration()).status());
    }
    String pattern =
        RedisIdempotencyStore.DEFAULT_KEY_PREFIX + namespace.length() + ":" + namespace + ":*";
    long total = 0;
    StringBuilder perNode = new StringBuilder();
    for (PrivateRedis node : cluster.nodes()) {
      long count = node.cli("--scan", "--pattern", pattern).lines().count();
      assertTrue(count > 0, "node " + node.port() + " holds none of the records");
      total += count;
      perNode.append(' ').append(count);
    }
    assertEquals(keys, total);
    System.out.println("cluster: " + keys + " records, per node:" + perNode);
  }
}
