package dev.idempotent.redis;

import dev.idempotent.testing.TestServer;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import java.util.UUID;

/**
 * The Redis server on 127.0.0.1:6379 that every engineer's tests share. Tests write only under a
 * key prefix of their own and delete their keys afterwards; they never stop the server.
 */
final class SharedRedis {
  static final String URI = "redis://127.0.0.1:" + TestServer.REDIS.port();

  private SharedRedis() {}

  /** A key prefix no other test run uses. */
  static String uniquePrefix() {
    return "idempotent-test-" + UUID.randomUUID() + ":";
  }

  /** A client for the shared server; the caller shuts it down. */
  static RedisClient client() {
    return RedisClient.create(URI);
  }

  /**
   * Deletes every key under {@code prefix} (which must contain no glob characters).
   *
   * @return how many were deleted
   */
  static long deleteKeys(String prefix) {
    RedisClient client = client();
    try (StatefulRedisConnection<byte[], byte[]> connection =
        client.connect(ByteArrayCodec.INSTANCE)) {
      return deleteKeys(connection.sync(), prefix);
    } finally {
      client.shutdown();
    }
  }

  /** Deletes every key under {@code prefix} through an open connection. */
  static long deleteKeys(RedisCommands<byte[], byte[]> redis, String prefix) {
    long deleted = 0;
    ScanArgs match = ScanArgs.Builder.matches(prefix + "*").limit(1000);
    KeyScanCursor<byte[]> cursor = redis.scan(match);
    while (true) {
      if (!cursor.getKeys().isEmpty()) {
        deleted += redis.unlink(cursor.getKeys().toArray(new byte[0][]));
      }
      if (cursor.isFinished()) {
        return deleted;
      }
      cursor = redis.scan(ScanCursor.of(cursor.getCursor()), match);
    }
  }

  /**
   * Opens a byte-array connection to the shared server for a test class that writes under {@code
   * prefix}; closing it deletes the keys under the prefix and disconnects.
   */
  static Session open(String prefix) {
    return new Session(prefix);
  }

  /** A test class's connection to the shared server. */
  static final class Session implements AutoCloseable {
    private final String prefix;
    private final RedisClient client = client();
    private final StatefulRedisConnection<byte[], byte[]> connection =
        client.connect(ByteArrayCodec.INSTANCE);

    /** Commands on the connection. */
    final RedisCommands<byte[], byte[]> redis = connection.sync();

    private Session(String prefix) {
      this.prefix = prefix;
    }

    @Override
    public void close() {
      try {
        deleteKeys(redis, prefix);
      } finally {
        connection.close();
        client.shutdown();
      }
    }
  }
}
