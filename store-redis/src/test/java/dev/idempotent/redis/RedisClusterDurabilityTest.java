package dev.idempotent.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.idempotent.IdempotencyEngine;
import dev.idempotent.IdempotentOperation;
import dev.idempotent.testing.RequiresServer;
import dev.idempotent.testing.TestServer;
import io.lettuce.core.cluster.SlotHash;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A durable write on a Cluster and its {@code WAIT} reach the master that took the write, also when
 * the slot is being migrated ({@code ASK}) or has moved ({@code MOVED}) since the client last read
 * the topology. A Cluster connection would send a keyless {@code WAIT} to an arbitrary node, where
 * it would count the replicas of some other connection's writes; the test counts each node's {@code
 * WAIT}s ({@code INFO commandstats}) and finds the records on the right master's replica the moment
 * each call returns.
 */
@RequiresServer(TestServer.REDIS_PROGRAMS)
class RedisClusterDurabilityTest {
  private static final String TAG = "route";

  @Test
  void writesAndTheirWaitReachTheMasterThatTookThemThroughAskAndMoved() throws Exception {
    try (PrivateRedisCluster cluster =
            PrivateRedisCluster.start(1, 5000, "--repl-diskless-sync-delay", "0");
        // The prefix is a hash tag: every record of this store lands in one slot.
        RedisIdempotencyStore store =
            RedisIdempotencyStore.clusterBuilder(cluster.seedUris())
                .keyPrefix("{" + TAG + "}:")
                .durability(Durability.replicas(1, Duration.ofSeconds(5)))
                .build()) {
      int slot = SlotHash.getSlot(TAG);
      PrivateRedis seed = cluster.nodes().get(0);
      FailoverLoad.await(
          () -> cluster.replicasInSyncSeenBy(seed) == 3,
          Duration.ofSeconds(60),
          "three replicas attached and in sync");
      List<PrivateRedisCluster.Node> nodes = cluster.topology(seed);
      PrivateRedisCluster.Node source =
          nodes.stream().filter(n -> n.master() && n.serves(slot)).findFirst().orElseThrow();
      PrivateRedisCluster.Node target =
          nodes.stream().filter(n -> n.master() && !n.serves(slot)).findFirst().orElseThrow();
      PrivateRedis sourceReplica = replicaOf(cluster, nodes, source);
      PrivateRedis targetReplica = replicaOf(cluster, nodes, target);
      IdempotentOperation<String> operation =
          IdempotencyEngine.builder().store(store).build().operation("ops", String.class).build();

      Map<Integer, Long> waits = waits(cluster);
      assertEquals("r1", operation.execute("k1", () -> "r1"));
      assertEquals(Map.of(source.port(), 2L), waitsSince(cluster, waits), "the owner's WAITs");
      assertEquals(1, keysInSlot(sourceReplica, slot), "on the owner's replica at once");

      // The slot starts to migrate: a key the source lacks is answered with ASK.
      cluster.node(target.port()).cli("CLUSTER", "SETSLOT", slot + "", "IMPORTING", source.id());
      cluster.node(source.port()).cli("CLUSTER", "SETSLOT", slot + "", "MIGRATING", target.id());
      waits = waits(cluster);
      assertEquals("r2", operation.execute("k2", () -> "r2"));
      assertEquals(Map.of(target.port(), 2L), waitsSince(cluster, waits), "WAITs after ASK");
      assertEquals(1, keysInSlot(targetReplica, slot), "the new key on the target's replica");
      assertTrue(cluster.node(source.port()).errorCount("ASK") >= 2, "the source answered ASK");

      // The migration ends; the client still believes the source serves the slot: MOVED.
      PrivateRedis sourceNode = cluster.node(source.port());
      for (String key :
          sourceNode.cli("CLUSTER", "GETKEYSINSLOT", slot + "", "100").trim().split("\\R")) {
        sourceNode.cli(
            "MIGRATE", "127.0.0.1", target.port() + "", "", "0", "5000", "KEYS", key.trim());
      }
      for (PrivateRedisCluster.Node node : nodes) {
        if (node.master()) {
          cluster.node(node.port()).cli("CLUSTER", "SETSLOT", slot + "", "NODE", target.id());
        }
      }
      waits = waits(cluster);
      assertEquals("r3", operation.execute("k3", () -> "r3"));
      assertEquals(Map.of(target.port(), 2L), waitsSince(cluster, waits), "WAITs after MOVED");
      assertTrue(sourceNode.errorCount("MOVED") >= 1, "the source answered MOVED");
      FailoverLoad.await(
          () -> keysInSlot(targetReplica, slot) == 3,
          Duration.ofSeconds(30),
          "the migrated key reaches the target's replica too");
      assertEquals("r1", operation.execute("k1", () -> "again"), "a replay after the move");
      System.out.println(
          "cluster durability: slot "
              + slot
              + " moved from :"
              + source.port()
              + " to :"
              + target.port()
              + "; each durable write's 2 WAITs reached the master that took it (before, during"
              + " ASK, after MOVED)");
    }
  }

  private static Map<Integer, Long> waits(PrivateRedisCluster cluster) throws Exception {
    Map<Integer, Long> counts = new HashMap<>();
    for (PrivateRedis node : cluster.nodes()) {
      counts.put(node.port(), node.commandCalls("wait"));
    }
    return counts;
  }

  /** The nodes whose WAIT count grew since {@code before}, and by how much. */
  private static Map<Integer, Long> waitsSince(
      PrivateRedisCluster cluster, Map<Integer, Long> before) throws Exception {
    Map<Integer, Long> grown = new HashMap<>();
    waits(cluster)
        .forEach(
            (port, count) -> {
              if (count > before.get(port)) {
                grown.put(port, count - before.get(port));
              }
            });
    return grown;
  }

  private static long keysInSlot(PrivateRedis node, int slot) {
    try {
      return Long.parseLong(node.cli("CLUSTER", "COUNTKEYSINSLOT", slot + "").trim());
    } catch (Exception e) {
      return -1;
    }
  }

  private static PrivateRedis replicaOf(
      PrivateRedisCluster cluster,
      List<PrivateRedisCluster.Node> nodes,
      PrivateRedisCluster.Node master) {
    return cluster.node(
        nodes.stream()
            .filter(n -> master.id().equals(n.masterId()))
            .findFirst()
            .orElseThrow()
            .port());
  }
}
