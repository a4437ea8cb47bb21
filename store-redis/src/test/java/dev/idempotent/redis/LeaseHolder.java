package dev.idempotent.redis;

import dev.idempotent.IdempotencyEngine;
import dev.idempotent.aspectj.IdempotentAspect;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;

/**
 * A child JVM of {@link RedisCrashTest}: configures the aspect with an engine on the Redis store
 * and calls the woven {@link Ledger#settle} for one key. Its body pushes "pid mode" onto a Redis
 * list, prints {@code BODY-STARTED}, and then, by mode:
 *
 * <ul>
 *   <li>{@code hang}: never returns (the parent kills the process);
 *   <li>{@code slow}: returns after a few seconds (the parent freezes the process meanwhile);
 *   <li>{@code quick}: returns at once.
 * </ul>
 *
 * The process prints {@code CALLING} before the call, {@code EVENT <type>} for the engine's events,
 * and {@code RESULT <receipt id> <executed by>} after it. It refuses to call (exit 1 before {@code
 * CALLING}) when {@code Ledger} is not woven.
 *
 * <p>Arguments: redis URI, key prefix, key, mode.
 */
public final class LeaseHolder {
  private LeaseHolder() {}

  /** Runs the call; exits 0 when it returned. */
  public static void main(String[] args) throws Exception {
    String uri = args[0];
    String prefix = args[1];
    String key = args[2];
    String mode = args[3];
    String pid = Long.toString(ProcessHandle.current().pid());

    Ledger.requireWoven();
    RedisClient client = RedisClient.create(uri);
    StatefulRedisConnection<String, String> connection = client.connect();
    RedisIdempotencyStore store = RedisIdempotencyStore.builder(client).keyPrefix(prefix).build();
    IdempotentAspect.configure(
        IdempotencyEngine.builder()
            .store(store)
            .listener(event -> System.out.println("EVENT " + event.type()))
            .build());
    Ledger ledger = new Ledger(connection.sync(), prefix + "executions", pid);

    System.out.println("CALLING " + pid);
    Receipt receipt = ledger.settle(key, mode);
    System.out.println("RESULT " + receipt.id() + " " + receipt.executedBy());
    store.close();
    connection.close();
    client.shutdown();
    System.exit(0);
  }
}
