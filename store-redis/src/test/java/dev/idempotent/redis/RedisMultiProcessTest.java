package dev.idempotent.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.idempotent.testing.ChildJvm;
import dev.idempotent.testing.RequiresServer;
import dev.idempotent.testing.TestServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Four JVMs, eight threads each, call the same woven {@code @Idempotent} method ({@link
 * Ledger#charge}) for the same 200 keys through the shared Redis: every key's body runs exactly
 * once in all, and every call in every process gets that execution's result. The workers refuse to
 * start unless the method is woven.
 */
@RequiresServer(TestServer.REDIS)
class RedisMultiProcessTest {
  private static final int PROCESSES = 4;
  private static final int THREADS = 8;
  private static final int KEYS = 200;

  @Test
  void fourJvmsOfEightThreadsRunEachOf200KeysExactlyOnce() throws Exception {
    String prefix = SharedRedis.uniquePrefix();
    RedisClient client = SharedRedis.client();
    List<ChildJvm> workers = new ArrayList<>();
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      RedisCommands<String, String> redis = connection.sync();
      for (int p = 0; p < PROCESSES; p++) {
        workers.add(
            ChildJvm.start(
                SameKeysWorker.class,
                List.of("-Xmx192m", "-XX:+UseSerialGC"),
                SharedRedis.URI,
                prefix,
                Integer.toString(KEYS),
                Integer.toString(THREADS),
                "p" + p));
      }
      for (ChildJvm worker : workers) {
        worker.awaitLine(line -> line.startsWith("READY"), Duration.ofSeconds(90));
      }
      long started = System.nanoTime();
      for (int p = 0; p < PROCESSES; p++) {
        redis.rpush(prefix + "go", "go");
      }
      for (ChildJvm worker : workers) {
        assertEquals(
            0, worker.awaitExit(Duration.ofSeconds(150)), String.join("\n", worker.lines()));
      }
      long elapsedMillis = (System.nanoTime() - started) / 1_000_000;

      // key -> receipt ids seen by every call in every process; and per process
      Map<String, Set<String>> ids = new TreeMap<>();
      Map<String, String> executedBy = new HashMap<>();
      Map<String, Integer> callsPerKey = new HashMap<>();
      int calls = 0;
      for (ChildJvm worker : workers) {
        for (String line : worker.lines()) {
          if (!line.startsWith("R ")) {
            continue;
          }
          String[] f = line.split(" ");
          ids.computeIfAbsent(f[3], k -> new HashSet<>()).add(f[4]);
          executedBy.put(f[3], f[5]);
          callsPerKey.merge(f[3], 1, Integer::sum);
          calls++;
        }
      }
      List<String> executions = redis.lrange(prefix + "executions", 0, -1);
      Map<String, String> executionByKey = new HashMap<>();
      for (String execution : executions) {
        String[] f = execution.split(" ");
        executionByKey.merge(f[0], f[1], (a, b) -> a + "," + b);
      }

      assertEquals(PROCESSES * THREADS * KEYS, calls, "every call printed its result");
      assertEquals(KEYS, executions.size(), "executions recorded by the bodies");
      assertEquals(KEYS, executionByKey.size(), "one execution per key");
      assertEquals(KEYS, ids.size());
      int agreeing = 0;
      for (Map.Entry<String, Set<String>> entry : ids.entrySet()) {
        String key = entry.getKey();
        assertEquals(1, entry.getValue().size(), "results for " + key + ": " + entry.getValue());
        assertEquals(PROCESSES * THREADS, callsPerKey.get(key));
        assertEquals(executionByKey.get(key), executedBy.get(key), "who ran " + key);
        agreeing++;
      }
      Set<String> executingProcesses = new HashSet<>();
      executionByKey.values().forEach(e -> executingProcesses.add(e.substring(0, e.indexOf('/'))));
      assertTrue(executingProcesses.size() > 1, "executions spread over " + executingProcesses);
      System.out.println(
          "multi-process: "
              + PROCESSES
              + " JVMs x "
              + THREADS
              + " threads x "
              + KEYS
              + " keys = "
              + calls
              + " calls in "
              + elapsedMillis
              + " ms; executions recorded: "
              + executions.size()
              + " (one per key, by "
              + executingProcesses.size()
              + " processes); keys on which all "
              + PROCESSES * THREADS
              + " callers got the same result: "
              + agreeing
              + "/"
              + KEYS);
    } finally {
      for (ChildJvm worker : workers) {
        worker.close();
      }
      SharedRedis.deleteKeys(prefix);
      client.shutdown();
    }
  }
}
