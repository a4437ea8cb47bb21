package dev.idempotent.redis;

import dev.idempotent.IdempotencyEngine;
import dev.idempotent.IdempotentOperation;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.UUID;

/**
 * A child JVM of {@link RedisCrashTest}: calls one idempotent operation for one key. Its body
 * pushes "pid mode" onto a Redis list, prints {@code BODY-STARTED}, and then, by mode:
 *
 * <ul>
 *   <li>{@code hang}: never returns (the parent kills the process);
 *   <li>{@code slow}: returns after a few seconds (the parent freezes the process meanwhile);
 *   <li>{@code quick}: returns at once.
 * </ul>
 *
 * The process prints {@code CALLING} before the call, {@code EVENT <type>} for the engine's events,
 * and {@code RESULT <receipt id> <executed by>} after it.
 *
 * <p>Arguments: redis URI, key prefix, namespace, key, lease in ms, mode.
 */
public final class LeaseHolder {
  private LeaseHolder() {}

  /** Runs the call; exits 0 when it returned. */
  public static void main(String[] args) throws Exception {
    String uri = args[0];
    String prefix = args[1];
    String namespace = args[2];
    String key = args[3];
    Duration lease = Duration.ofMillis(Long.parseLong(args[4]));
    String mode = args[5];
    String pid = Long.toString(ProcessHandle.current().pid());

    RedisClient client = RedisClient.create(uri);
    StatefulRedisConnection<String, String> connection = client.connect();
    RedisIdempotencyStore store = RedisIdempotencyStore.builder(client).keyPrefix(prefix).build();
    IdempotentOperation<Receipt> operation =
        IdempotencyEngine.builder()
            .store(store)
            .listener(event -> System.out.println("EVENT " + event.type()))
            .build()
            .operation(namespace, Receipt.class)
            .lease(lease)
            .waitTimeout(Duration.ofSeconds(60))
            .build();

    System.out.println("CALLING " + pid);
    Receipt receipt =
        operation.execute(
            key,
            () -> {
              connection.sync().rpush(prefix + "executions", pid + " " + mode);
              System.out.println("BODY-STARTED " + pid);
              if (mode.equals("hang")) {
                pause(Long.MAX_VALUE);
              } else if (mode.equals("slow")) {
                pause(4_000);
              }
              return new Receipt(key, UUID.randomUUID().toString(), pid);
            });
    System.out.println("RESULT " + receipt.id() + " " + receipt.executedBy());
    store.close();
    connection.close();
    client.shutdown();
    System.exit(0);
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
