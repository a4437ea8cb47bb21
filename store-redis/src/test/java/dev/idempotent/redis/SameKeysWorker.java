package dev.idempotent.redis;

import dev.idempotent.IdempotencyEngine;
import dev.idempotent.IdempotentOperation;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * One of the child JVMs of {@link RedisMultiProcessTest}: waits for the parent's go, then calls one
 * idempotent operation for the same keys as every other worker, from several threads. Each body
 * execution pushes "key worker/thread" onto a Redis list; each call's result is printed as {@code R
 * <worker> <thread> <key> <receipt id> <executed by>}.
 *
 * <p>Arguments: redis URI, key prefix, namespace, number of keys, number of threads, worker name.
 */
public final class SameKeysWorker {
  private SameKeysWorker() {}

  /** Runs the worker; exits 0 when every call returned, 1 otherwise. */
  public static void main(String[] args) throws Exception {
    String uri = args[0];
    String prefix = args[1];
    String namespace = args[2];
    int keys = Integer.parseInt(args[3]);
    int threads = Integer.parseInt(args[4]);
    String worker = args[5];
    long pid = ProcessHandle.current().pid();

    RedisClient client = RedisClient.create(uri);
    StatefulRedisConnection<String, String> connection = client.connect();
    RedisCommands<String, String> redis = connection.sync();
    RedisIdempotencyStore store = RedisIdempotencyStore.builder(client).keyPrefix(prefix).build();
    IdempotentOperation<Receipt> operation =
        IdempotencyEngine.builder()
            .store(store)
            .build()
            .operation(namespace, Receipt.class)
            .waitTimeout(Duration.ofSeconds(60))
            .build();

    System.out.println("READY " + worker + " pid " + pid);
    KeyValue<String, String> go = redis.blpop(120, prefix + "go");
    if (go == null) {
      System.out.println("ERROR no go within 120 s");
      System.exit(1);
    }

    List<Thread> running = new ArrayList<>();
    List<Throwable> failures = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      Thread th =
          new Thread(
              () -> {
                // Four visiting orders, so that threads of every process meet on the same keys.
                boolean descending = thread % 2 == 1;
                int start = (thread / 2) % 2 == 0 ? 0 : keys / 2;
                for (int i = 0; i < keys; i++) {
                  int k = Math.floorMod(start + (descending ? -i : i), keys);
                  String key = "key-" + k;
                  String executor = worker + "/" + thread;
                  Receipt receipt =
                      operation.execute(
                          key,
                          key,
                          () -> {
                            redis.rpush(prefix + "executions", key + " " + executor);
                            pause(2);
                            return new Receipt(key, UUID.randomUUID().toString(), executor);
                          });
                  System.out.println(
                      "R "
                          + worker
                          + " "
                          + thread
                          + " "
                          + key
                          + " "
                          + receipt.id()
                          + " "
                          + receipt.executedBy());
                }
              },
              "worker-" + thread);
      th.setUncaughtExceptionHandler(
          (x, e) -> {
            synchronized (failures) {
              failures.add(e);
            }
            System.out.println("ERROR " + x.getName() + " " + e);
          });
      th.start();
      running.add(th);
    }
    for (Thread th : running) {
      th.join();
    }
    store.close();
    connection.close();
    client.shutdown();
    System.out.println("DONE " + worker + " failures " + failures.size());
    System.exit(failures.isEmpty() ? 0 : 1);
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
