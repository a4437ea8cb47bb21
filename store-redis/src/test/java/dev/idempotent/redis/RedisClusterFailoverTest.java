package dev.idempotent.redis;

import dev.idempotent.testing.RequiresServer;
import dev.idempotent.testing.TestServer;
import java.time.Duration;
import java.util.List;

/**
 * A private Redis Cluster of three masters with one replica each: threads call a woven method on
 * many keys while slots move from one master to another ({@code redis-cli --cluster reshard}, so
 * calls meet {@code MOVED} and {@code ASK}), and then the master that received them is killed with
 * SIGKILL; its replica takes over, the killed node is started again and rejoins as a replica, and
 * every key is called once more. With {@link Durability} on, no key's body runs twice; without it,
 * the test prints how many did.
 */
@RequiresServer(TestServer.REDIS_PROGRAMS)
class RedisClusterFailoverTest extends FailoverTestBase {
  private static final int SLOTS_MOVED = LONG ? 4000 : 1000;

  @Override
  String scenario() {
    return "cluster";
  }

  @Override
  FailoverLoad.Figures run(String name, Durability durability) throws Exception {
    try (PrivateRedisCluster cluster =
        PrivateRedisCluster.start(1, 2000, "--repl-diskless-sync-delay", "0")) {
      PrivateRedis seed = cluster.nodes().get(0);
      FailoverLoad.await(
          () -> cluster.replicasInSyncSeenBy(seed) == 3,
          PATIENCE,
          "the seed node sees the three replicas");
      List<PrivateRedisCluster.Node> masters =
          cluster.topology(seed).stream().filter(PrivateRedisCluster.Node::master).toList();
      PrivateRedisCluster.Node from = masters.get(0);
      PrivateRedisCluster.Node to = masters.get(1);
      PrivateRedisCluster.Node toReplica =
          cluster.topology(seed).stream()
              .filter(node -> to.id().equals(node.masterId()))
              .findFirst()
              .orElseThrow();

      Transfers transfers = new Transfers();
      FailoverLoad load = new FailoverLoad(transfers, name, THREADS);
      try (RedisIdempotencyStore store =
          RedisIdempotencyStore.clusterBuilder(cluster.seedUris())
              .commandTimeout(Duration.ofSeconds(1))
              .durability(durability)
              .build()) {
        useStore(store);
        load.start();
        load.awaitSuccesses(CALLS_BEFORE, PATIENCE);

        long reshardStarted = System.nanoTime();
        PrivateRedis.run(
            List.of(
                "redis-cli",
                "--cluster",
                "reshard",
                "127.0.0.1:" + from.port(),
                "--cluster-from",
                from.id(),
                "--cluster-to",
                to.id(),
                "--cluster-slots",
                Integer.toString(SLOTS_MOVED),
                "--cluster-yes"));
        long reshardMillis = (System.nanoTime() - reshardStarted) / 1_000_000;
        load.awaitSuccesses(load.successes() + CALLS_BEFORE / 2, PATIENCE);
        // Redis counts the redirects it answered (INFO errorstats): proof that calls met them.
        long moved = 0;
        long ask = 0;
        for (PrivateRedis node : cluster.nodes()) {
          moved += node.errorCount("MOVED");
          ask += node.errorCount("ASK");
        }

        PrivateRedis victim = cluster.node(to.port());
        PrivateRedis successor = cluster.node(toReplica.port());
        // An operator starts the crashed node again; it rejoins as a replica of its successor.
        return killAndRecover(
            load,
            durability,
            victim,
            successor,
            () -> role(successor).startsWith("master"),
            victim::restart,
            "slotsMoved="
                + SLOTS_MOVED
                + " reshardMs="
                + reshardMillis
                + " movedAnswers="
                + moved
                + " askAnswers="
                + ask);
      } finally {
        load.stop();
      }
    }
  }

  private static String role(PrivateRedis node) {
    try {
      return node.cli("ROLE").trim();
    } catch (Exception e) {
      return "";
    }
  }
}
