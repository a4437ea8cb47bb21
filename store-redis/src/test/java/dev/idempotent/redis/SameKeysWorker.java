package dev.idempotent.redis;

import dev.idempotent.IdempotencyEngine;
import dev.idempotent.aspectj.IdempotentAspect;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.ArrayList;
import java.util.List;

/**
 * One of the child JVMs of {@link RedisMultiProcessTest}: configures the aspect with an engine on
 * the Redis store, waits for the parent's go, then calls the woven {@link Ledger#charge} for the
 * same keys as every other worker, from several threads. Each body execution pushes "key
 * worker/thread" onto a Redis list; each call's result is printed as {@code R <worker> <thread>
 * <key> <receipt id> <executed by>}. It refuses to start (exit 1 before {@code READY}) when {@code
 * Ledger} is not woven.
 *
 * <p>Arguments: redis URI, key prefix, number of keys, number of threads, worker name.
 */
public final class SameKeysWorker {
  private SameKeysWorker() {}

  /** Runs the worker; exits 0 when every call returned, 1 otherwise. */
  public static void main(String[] args) throws Exception {
    String uri = args[0];
    String prefix = args[1];
    int keys = Integer.parseInt(args[2]);
    int threads = Integer.parseInt(args[3]);
    String worker = args[4];
    long pid = ProcessHandle.current().pid();

    Ledger.requireWoven();
    RedisClient client = RedisClient.create(uri);
    StatefulRedisConnection<String, String> connection = client.connect();
    RedisCommands<String, String> redis = connection.sync();
    RedisIdempotencyStore store = RedisIdempotencyStore.builder(client).keyPrefix(prefix).build();
    IdempotentAspect.configure(IdempotencyEngine.builder().store(store).build());
    Ledger ledger = new Ledger(redis, prefix + "executions", worker);

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
                  Receipt receipt = ledger.charge(key);
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
              Integer.toString(thread));
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
}
