package dev.idempotent.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import dev.idempotent.IdempotencyEngine;
import dev.idempotent.Idempotent;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * The main class of the child JVMs in {@link MultiProcessTest} and {@link CrashTest}. It calls an
 * {@link Idempotent} method through {@link IdempotencyEngine#invoke} (the AspectJ adapter, once it
 * exists, does the same from a woven method) on a store over the shared table, and prints what it
 * got on standard output for the parent to check.
 *
 * <pre>
 * calls       database table executions goFile keys threads   each thread calls charge for every key
 * crash-owner database table executions key                   settle(key) whose body never ends
 * crash-taker database table executions goFile key threads    each thread calls settle(key) once
 * </pre>
 */
public final class ChildCaller {
  private static final String PROCESS = "pid" + ProcessHandle.current().pid();

  private static final Method CHARGE = method("charge");
  private static final Method SETTLE = method("settle");

  private ChildCaller() {}

  private static Method method(String name) {
    try {
      return Ledger.class.getMethod(name, String.class);
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The service whose methods the children call; each body records its run in a table. */
  public static final class Ledger {
    private final DataSource dataSource;
    private final String executions;
    private final long bodyMillis;

    Ledger(DataSource dataSource, String executions, long bodyMillis) {
      this.dataSource = dataSource;
      this.executions = executions;
      this.bodyMillis = bodyMillis;
    }

    /** For the multi-process test: a short body. */
    @Idempotent(keyExpr = "#orderId", ttl = "1h", lease = "10s", waitTimeout = "90s")
    public String charge(String orderId) throws Exception {
      return run(orderId);
    }

    /**
     * For the crash test: a two-second lease, renewed while the body runs. (With one second, a
     * taker JVM starved on a loaded machine once missed its own renewal and was taken over.)
     */
    @Idempotent(keyExpr = "#orderId", ttl = "1h", lease = "2s", waitTimeout = "60s")
    public String settle(String orderId) throws Exception {
      return run(orderId);
    }

    private String run(String orderId) throws Exception {
      record(orderId, "started");
      System.out.println("BODY-STARTED " + PROCESS + " " + System.currentTimeMillis());
      Thread.sleep(bodyMillis);
      record(orderId, "finished");
      return orderId + "@" + PROCESS + "/" + Thread.currentThread().getName();
    }

    private void record(String orderId, String phase) throws SQLException {
      try (Connection c = dataSource.getConnection();
          PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO " + executions + " (order_id, process, phase) VALUES (?, ?, ?)")) {
        ps.setString(1, orderId);
        ps.setString(2, PROCESS);
        ps.setString(3, phase);
        ps.executeUpdate();
      }
    }
  }

  /** Creates the table the bodies record their runs in. */
  static void createExecutionsTable(DataSource dataSource, String executions) throws SQLException {
    TestDatabase.execute(
        dataSource,
        "CREATE TABLE "
            + executions
            + " (order_id VARCHAR(200) NOT NULL, process VARCHAR(40) NOT NULL,"
            + " phase VARCHAR(10) NOT NULL)");
  }

  public static void main(String[] args) throws Throwable {
    String mode = args[0];
    TestDatabase database = TestDatabase.valueOf(args[1]);
    String table = args[2];
    String executions = args[3];
    try (HikariDataSource pool = database.pool(10);
        JdbcIdempotencyStore store = database.store(pool, table).createTable(false).build()) {
      IdempotencyEngine engine = IdempotencyEngine.builder().store(store).build();
      switch (mode) {
        case "calls":
          calls(engine, new Ledger(pool, executions, 5), args);
          break;
        case "crash-owner":
          Ledger stuck = new Ledger(pool, executions, 600_000);
          call(engine, stuck, "settle", args[4]);
          System.out.println("OWNER-COMPLETED");
          break;
        case "crash-taker":
          crashTaker(engine, new Ledger(pool, executions, 300), args);
          break;
        default:
          throw new IllegalArgumentException(mode);
      }
    }
    System.out.flush();
  }

  private static void calls(IdempotencyEngine engine, Ledger ledger, String[] args)
      throws Exception {
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
                    String result = (String) call(engine, ledger, "charge", key);
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

  private static void crashTaker(IdempotencyEngine engine, Ledger ledger, String[] args)
      throws Exception {
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
                  System.out.println("RESULT " + call(engine, ledger, "settle", key));
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

  private static Object call(IdempotencyEngine engine, Ledger ledger, String name, String key)
      throws Throwable {
    Method method = name.equals("charge") ? CHARGE : SETTLE;
    Object[] args = {key};
    return engine.invoke(
        method,
        args,
        () -> {
          try {
            return method.invoke(ledger, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }
}
