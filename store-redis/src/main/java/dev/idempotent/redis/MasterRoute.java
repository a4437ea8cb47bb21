package dev.idempotent.redis;

import io.lettuce.core.RedisException;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Which connection a durable write and its {@code WAIT} go to. {@code WAIT} counts the replicas
 * that hold this connection's last write, so it must follow the write on the same connection to the
 * master that took it. A standalone or Sentinel connection is that connection already. A Cluster
 * connection sends a keyless command such as {@code WAIT} to its default node, so for a Cluster the
 * store picks the node connection of the key's master itself and follows {@code MOVED} and {@code
 * ASK} answers by hand. Thread-safe.
 */
interface MasterRoute {

  /** The connection to the master that serves {@code key}. */
  StatefulConnection<byte[], byte[]> master(byte[] key);

  /** The connection to the node at {@code host:port}, named by a {@code MOVED} or {@code ASK}. */
  StatefulConnection<byte[], byte[]> node(String host, int port);

  /** Asks the client to read the topology again, when it can; at most once every half second. */
  void topologyChanged();

  /** The route of a standalone or Sentinel connection: always that connection. */
  static MasterRoute single(StatefulConnection<?, ?> connection) {
    StatefulConnection<byte[], byte[]> only = ScriptRunner.binary(connection);
    return new MasterRoute() {
      @Override
      public StatefulConnection<byte[], byte[]> master(byte[] key) {
        return only;
      }

      @Override
      public StatefulConnection<byte[], byte[]> node(String host, int port) {
        return only;
      }

      @Override
      public void topologyChanged() {
        // Lettuce looks the master up again (through Sentinel) whenever it reconnects.
      }
    };
  }

  /**
   * The route of a Cluster connection: the node connection of the master that the client's topology
   * names for the key's slot.
   *
   * @param refresh reads the topology again (the client's {@code refreshPartitions}), or null when
   *     the store has no client and relies on the application's refresh options
   */
  static MasterRoute cluster(StatefulRedisClusterConnection<?, ?> connection, Runnable refresh) {
    return new ClusterRoute(connection, refresh);
  }

  /** See {@link MasterRoute#cluster}. */
  final class ClusterRoute implements MasterRoute {
    private static final long REFRESH_INTERVAL_NANOS = 500_000_000L;

    private final StatefulRedisClusterConnection<?, ?> connection;
    private final Runnable refresh;
    private final AtomicLong lastRefresh =
        new AtomicLong(System.nanoTime() - REFRESH_INTERVAL_NANOS);

    private ClusterRoute(StatefulRedisClusterConnection<?, ?> connection, Runnable refresh) {
      this.connection = connection;
      this.refresh = refresh;
    }

    @Override
    public StatefulConnection<byte[], byte[]> master(byte[] key) {
      int slot = SlotHash.getSlot(key);
      RedisClusterNode master = connection.getPartitions().getMasterBySlot(slot);
      if (master == null) {
        topologyChanged();
        throw new RedisException(
            "no master serves slot " + slot + " in the client's view of the cluster");
      }
      return ScriptRunner.binary(connection.getConnection(master.getNodeId()));
    }

    @Override
    public StatefulConnection<byte[], byte[]> node(String host, int port) {
      return ScriptRunner.binary(connection.getConnection(host, port));
    }

    @Override
    public void topologyChanged() {
      if (refresh == null) {
        return;
      }
      long last = lastRefresh.get();
      long now = System.nanoTime();
      if (now - last >= REFRESH_INTERVAL_NANOS && lastRefresh.compareAndSet(last, now)) {
        try {
          refresh.run();
        } catch (RuntimeException unreachable) {
          // The cluster is failing over; the caller's own failure says what went wrong.
        }
      }
    }
  }
}
