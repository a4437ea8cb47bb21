package dev.idempotent.redis;

import dev.idempotent.testing.RequiresServer;
import dev.idempotent.testing.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A Sentinel-managed master with one replica and three Sentinels, all private: threads call a woven
 * method on many keys while the master is killed with SIGKILL. Sentinel promotes the replica, the
 * store follows it, the killed server is started again and rejoins as a replica, and every key is
 * called once more. With {@link Durability} on, no key's body runs twice; without it, the test
 * prints how many did.
 */
@RequiresServer(TestServer.REDIS_PROGRAMS)
class RedisSentinelFailoverTest extends FailoverTestBase {
  private static final String MASTER_NAME = "orders";
  private static final String[] NO_SYNC_DELAY = {"--repl-diskless-sync-delay", "0"};

  @Override
  String scenario() {
    return "sentinel";
  }

  @Override
  FailoverLoad.Figures run(String name, Durability durability) throws Exception {
    List<PrivateRedis> servers = new ArrayList<>();
    try {
      // No 5-second pause before a replica's first sync, so the restarted server catches up soon.
      PrivateRedis master = PrivateRedis.start(NO_SYNC_DELAY);
      servers.add(master);
      PrivateRedis replica = PrivateRedis.startReplicaOf(master, NO_SYNC_DELAY);
      servers.add(replica);
      FailoverLoad.await(
          () -> info(replica).contains("master_link_status:up"), PATIENCE, "replica in sync");
      List<PrivateRedis> sentinels = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        PrivateRedis sentinel = PrivateRedis.startSentinel(master, MASTER_NAME, 2, 1000);
        servers.add(sentinel);
        sentinels.add(sentinel);
      }
      for (PrivateRedis sentinel : sentinels) {
        FailoverLoad.await(
            () -> fields(sentinel, "replicas") == 1 && fields(sentinel, "sentinels") == 2,
            PATIENCE,
            "Sentinel " + sentinel.port() + " knows the replica and the other two Sentinels");
      }
      StringBuilder uri = new StringBuilder("redis-sentinel://");
      for (PrivateRedis sentinel : sentinels) {
        uri.append(sentinel == sentinels.get(0) ? "" : ",").append("127.0.0.1:");
        uri.append(sentinel.port());
      }
      uri.append('#').append(MASTER_NAME);

      Transfers transfers = new Transfers();
      FailoverLoad load = new FailoverLoad(transfers, name, THREADS);
      try (RedisIdempotencyStore store =
          RedisIdempotencyStore.builder(uri.toString())
              .commandTimeout(Duration.ofSeconds(1))
              .durability(durability)
              .build()) {
        useStore(store);
        long loadStarted = System.nanoTime();
        load.start();
        load.awaitSuccesses(CALLS_BEFORE, PATIENCE);
        long beforeKill = (System.nanoTime() - loadStarted) / 1_000_000;
        // An operator brings the crashed server back as a replica of the new master (Sentinel would
        // convert it too, but only after watching it for several seconds).
        return killAndRecover(
            load,
            durability,
            master,
            replica,
            () -> masterPort(sentinels.get(0)) == replica.port(),
            () -> master.restartAsReplicaOf(replica),
            "loadBeforeKillMs=" + beforeKill);
      } finally {
        load.stop();
      }
    } finally {
      for (PrivateRedis server : servers) {
        server.close();
      }
    }
  }

  private static String info(PrivateRedis server) {
    try {
      return server.cli("INFO", "replication");
    } catch (Exception e) {
      return "";
    }
  }

  /** How many replicas or Sentinels a Sentinel lists for the master: one "ip" field each. */
  private static int fields(PrivateRedis sentinel, String what) {
    try {
      int count = 0;
      for (String line : sentinel.cli("SENTINEL", what, MASTER_NAME).split("\\R")) {
        count += line.equals("ip") ? 1 : 0;
      }
      return count;
    } catch (Exception e) {
      return -1;
    }
  }

  private static int masterPort(PrivateRedis sentinel) {
    try {
      String[] address =
          sentinel.cli("SENTINEL", "get-master-addr-by-name", MASTER_NAME).trim().split("\\R");
      return Integer.parseInt(address[address.length - 1].trim());
    } catch (Exception e) {
      return -1;
    }
  }
}
