package dev.idempotent.redis;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A Redis Cluster of three masters, with or without a replica each, that this test starts as child
 * processes on free ports and joins with {@code redis-cli --cluster create}.
 */
final class PrivateRedisCluster implements AutoCloseable {
  private final List<PrivateRedis> nodes;

  private PrivateRedisCluster(List<PrivateRedis> nodes) {
    this.nodes = nodes;
  }

  /** Starts three masters, assigns them all 16384 slots, and waits until every node reports ok. */
  static PrivateRedisCluster start() throws IOException, InterruptedException {
    return start(0, 5000);
  }

  /**
   * Starts three masters with {@code replicasPerMaster} replicas each, assigns the masters all
   * 16384 slots, and waits until every node reports ok.
   *
   * @param nodeTimeoutMillis how long a node may be unreachable before the cluster fails it over
   * @param extraArgs more {@code redis-server} arguments for every node
   */
  static PrivateRedisCluster start(
      int replicasPerMaster, int nodeTimeoutMillis, String... extraArgs)
      throws IOException, InterruptedException {
    List<PrivateRedis> nodes = new ArrayList<>();
    PrivateRedisCluster cluster = new PrivateRedisCluster(nodes);
    try {
      List<String> args =
          new ArrayList<>(
              List.of(
                  "--cluster-enabled",
                  "yes",
                  "--cluster-node-timeout",
                  Integer.toString(nodeTimeoutMillis)));
      args.addAll(List.of(extraArgs));
      for (int i = 0; i < 3 * (1 + replicasPerMaster); i++) {
        nodes.add(PrivateRedis.start(args.toArray(new String[0])));
      }
      List<String> create = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
      for (PrivateRedis node : nodes) {
        create.add("127.0.0.1:" + node.port());
      }
      create.addAll(
          List.of("--cluster-replicas", Integer.toString(replicasPerMaster), "--cluster-yes"));
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

  /** One line of {@code CLUSTER NODES}: a node as the cluster sees it. */
  record Node(String id, int port, boolean master, String masterId, List<String> slotRanges) {
    /**
     * Whether this master serves {@code slot} ("0-5460", "5461"; migration entries are skipped).
     */
    boolean serves(int slot) {
      for (String range : slotRanges) {
        if (range.startsWith("[")) {
          continue;
        }
        int dash = range.indexOf('-');
        int first = Integer.parseInt(dash < 0 ? range : range.substring(0, dash));
        int last = dash < 0 ? first : Integer.parseInt(range.substring(dash + 1));
        if (slot >= first && slot <= last) {
          return true;
        }
      }
      return false;
    }
  }

  /** The nodes as {@code node} sees them. */
  List<Node> topology(PrivateRedis node) throws IOException, InterruptedException {
    List<Node> seen = new ArrayList<>();
    for (String line : node.cli("CLUSTER", "NODES").split("\\R")) {
      String[] f = line.trim().split(" ");
      if (f.length < 8) {
        continue;
      }
      String address = f[1].substring(0, f[1].indexOf('@'));
      int port = Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
      boolean master = f[2].contains("master");
      seen.add(new Node(f[0], port, master, f[3], List.of(f).subList(8, f.length)));
    }
    return seen;
  }

  /**
   * How many replicas {@code node} knows of whose link to their master is up (the initial sync
   * done), so that a {@code WAIT} can be acknowledged; -1 when a node does not answer.
   */
  long replicasInSyncSeenBy(PrivateRedis node) {
    try {
      long inSync = 0;
      for (Node replica : topology(node)) {
        if (!replica.master()
            && node(replica.port()).cli("INFO", "replication").contains("master_link_status:up")) {
          inSync++;
        }
      }
      return inSync;
    } catch (IOException | InterruptedException | RuntimeException e) {
      return -1;
    }
  }

  /** The running node on {@code port}. */
  PrivateRedis node(int port) {
    for (PrivateRedis node : nodes) {
      if (node.port() == port) {
        return node;
      }
    }
    throw new IllegalArgumentException("no node on port " + port);
  }

  /** Waits until every running node reports {@code cluster_state:ok}. */
  void awaitOk() throws IOException, InterruptedException {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (System.nanoTime() < deadline) {
      boolean ok = true;
      for (PrivateRedis node : nodes) {
        ok &= !node.alive() || node.cli("CLUSTER", "INFO").contains("cluster_state:ok");
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
