package dev.idempotent.redis;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A Redis Cluster of three masters (no replicas) that this test starts as child processes on free
 * ports and joins with {@code redis-cli --cluster create}.
 */
final class PrivateRedisCluster implements AutoCloseable {
  private final List<PrivateRedis> nodes;

  private PrivateRedisCluster(List<PrivateRedis> nodes) {
    this.nodes = nodes;
  }

  /** Starts three nodes, assigns them all 16384 slots, and waits until every node reports ok. */
  static PrivateRedisCluster start() throws IOException, InterruptedException {
    List<PrivateRedis> nodes = new ArrayList<>();
    PrivateRedisCluster cluster = new PrivateRedisCluster(nodes);
    try {
      for (int i = 0; i < 3; i++) {
        nodes.add(PrivateRedis.start("--cluster-enabled", "yes", "--cluster-node-timeout", "5000"));
      }
      List<String> create = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
      for (PrivateRedis node : nodes) {
        create.add("127.0.0.1:" + node.port());
      }
      create.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
      PrivateRedis.run(create);
      cluster.awaitOk();
      return cluster;
    } catch (IOException | InterruptedException | RuntimeException e) {
      cluster.close();
      throw e;
    }
  }

  /** Seed URIs of every node, as {@code RedisIdempotencyStore.clusterBuilder} takes them. */
  String seedUris() {
    StringBuilder uris = new StringBuilder("redis://");
    for (PrivateRedis node : nodes) {
      if (uris.length() > "redis://".length()) {
        uris.append(',');
      }
      uris.append("127.0.0.1:").append(node.port());
    }
    return uris.toString();
  }

  /** The nodes, for per-node inspection. */
  List<PrivateRedis> nodes() {
    return nodes;
  }

  private void awaitOk() throws IOException, InterruptedException {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (System.nanoTime() < deadline) {
      boolean ok = true;
      for (PrivateRedis node : nodes) {
        ok &= node.cli("CLUSTER", "INFO").contains("cluster_state:ok");
      }
      if (ok) {
        return;
      }
      Thread.sleep(100);
    }
    throw new IOException("the private cluster did not reach cluster_state:ok");
  }

  /** Kills every node. */
  @Override
  public void close() {
    for (PrivateRedis node : nodes) {
      node.close();
    }
  }
}
