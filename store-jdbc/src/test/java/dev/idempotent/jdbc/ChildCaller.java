package dev.idempotent.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import dev.idempotent.IdempotencyEngine;
import dev.idempotent.aspectj.IdempotentAspect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The main class of the child JVMs in {@link MultiProcessTest} and {@link CrashTest}. It configures
 * the aspect with an engine on a store over the shared table, calls the woven {@link Ledger}, and
 * prints what it got on standard output for the parent to check. It refuses to run (exit 1 before
 * any call) when {@code Ledger} is not woven.
 *
 * <pre>
 * calls       database table executions goFile keys threads   each thread calls charge for every key
 * crash-owner database table executions key                   settle(key) whose body never ends
 * crash-taker database table executions goFile key threads    each thread calls settle(key) once
 * </pre>
 */
public final class ChildCaller {
  private static final String PROCESS = "pid" + ProcessHandle.current().pid();

  private ChildCaller() {}

  /** Runs the mode named by the first argument; exits 0 when it ran to its end. */
  public static void main(String[] args) throws Exception {
    Ledger.requireWoven();
    String mode = args[0];
    TestDatabase database = TestDatabase.valueOf(args[1]);
    String table = args[2];
    String executions = args[3];
    try (HikariDataSource pool = database.pool(10);
        JdbcIdempotencyStore store = database.store(pool, table).createTable(false).build()) {
      IdempotentAspect.configure(IdempotencyEngine.builder().store(store).build());
      switch (mode) {
        case "calls":
          calls(new Ledger(pool, executions, PROCESS, 5), args);
          break;
        case "crash-owner":
          new Ledger(pool, executions, PROCESS, 600_000).settle(args[4]);
          System.out.println("OWNER-COMPLETED");
          break;
        case "crash-taker":
          crashTaker(new Ledger(pool, executions, PROCESS, 300), args);
          break;
        default:
          throw new IllegalArgumentException(mode);
      }
    }
    System.out.flush();
  }

  private static void calls(Ledger ledger, String[] args) throws Exception {
    Path go = Paths.get(args[4]);
    int keys = Integer.parseInt(args[5]);
    int threads = Integer.parseInt(args[6]);
    Map<String, String> results = new ConcurrentHashMap<>();
    AtomicInteger mismatches = new AtomicInteger();
    AtomicInteger calls = new AtomicInteger();
    List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
    awaitGo(go);
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      Thread worker =
          new Thread(
              () -> {
                List<Integer> order = new ArrayList<>();
                for (int k = 0; k < keys; k++) {
                  order.add(k);
                }
                Collections.shuffle(order, new Random(ProcessHandle.current().pid() * 31 + thread));
                for (int k : order) {
                  String key = "order-" + k;
                  try {
                    String result = ledger.charge(key);
                    calls.incrementAndGet();
                    String first = results.putIfAbsent(key, result);
                    if (first != null && !first.equals(result)) {
                      mismatches.incrementAndGet();
                    }
                  } catch (Throwable e) {
                    failures.add(e);
                  }
                }
              },
              "caller-" + t);
      workers.add(worker);
      worker.start();
    }
    for (Thread worker : workers) {
      worker.join();
    }
    for (Map.Entry<String, String> e : new TreeMap<>(results).entrySet()) {
      System.out.println("RESULT " + e.getKey() + " " + e.getValue());
    }
    for (Throwable failure : failures) {
      System.out.println("FAILURE " + failure);
    }
    System.out.println(
        "DONE "
            + PROCESS
            + " calls="
            + calls.get()
            + " mismatches="
            + mismatches.get()
            + " failures="
            + failures.size());
  }

  private static void crashTaker(Ledger ledger, String[] args) throws Exception {
    Path go = Paths.get(args[4]);
    String key = args[5];
    int threads = Integer.parseInt(args[6]);
    awaitGo(go);
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread worker =
          new Thread(
              () -> {
                try {
                  System.out.println("RESULT " + ledger.settle(key));
                } catch (Throwable e) {
                  System.out.println("FAILURE " + e);
                }
              },
              "taker-" + t);
      workers.add(worker);
      worker.start();
    }
    for (Thread worker : workers) {
      worker.join();
    }
    System.out.println("DONE " + PROCESS);
  }

  private static void awaitGo(Path go) throws InterruptedException {
    System.out.println("READY " + PROCESS);
    while (!Files.exists(go)) {
      Thread.sleep(5);
    }
  }
}
