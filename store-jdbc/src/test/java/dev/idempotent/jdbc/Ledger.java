package dev.idempotent.jdbc;

import dev.idempotent.Idempotent;
import dev.idempotent.aspectj.WovenIdempotent;
import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * The service the child JVMs of {@link MultiProcessTest} and {@link CrashTest} call. This is the
 * one test class ajc compiles with idempotent-aspectj (see this module's pom), so every call of its
 * {@code @Idempotent} methods runs through the engine given to {@code IdempotentAspect.configure}.
 * Each body records its run as rows of a table of its own, so the count does not rely on the store
 * under test. Thread-safe.
 */
final class Ledger {
  private final DataSource dataSource;
  private final String executions;
  private final String process;
  private final long bodyMillis;

  /**
   * @param dataSource where the bodies record their runs
   * @param executions the table they record them in (see {@link #createExecutionsTable})
   * @param process names this JVM in the rows and in the results
   * @param bodyMillis how long each body takes
   */
  Ledger(DataSource dataSource, String executions, String process, long bodyMillis) {
    this.dataSource = dataSource;
    this.executions = executions;
    this.process = process;
    this.bodyMillis = bodyMillis;
  }

  /** For the multi-process test: a short body. */
  @Idempotent(keyExpr = "#orderId", ttl = "1h", lease = "10s", waitTimeout = "90s")
  String charge(String orderId) throws Exception {
    return run(orderId);
  }

  /**
   * For the crash test: a two-second lease, renewed while the body runs. (With one second, a taker
   * JVM starved on a loaded machine once missed its own renewal and was taken over.)
   */
  @Idempotent(keyExpr = "#orderId", ttl = "1h", lease = "2s", waitTimeout = "60s")
  String settle(String orderId) throws Exception {
    return run(orderId);
  }

  /**
   * Records "started", prints {@code BODY-STARTED <process> <epoch ms>}, takes its time, records
   * "finished" and returns "orderId@process/thread".
   */
  private String run(String orderId) throws Exception {
    record(orderId, "started");
    System.out.println("BODY-STARTED " + process + " " + System.currentTimeMillis());
    Thread.sleep(bodyMillis);
    record(orderId, "finished");
    return orderId + "@" + process + "/" + Thread.currentThread().getName();
  }

  private void record(String orderId, String phase) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO " + executions + " (order_id, process, phase) VALUES (?, ?, ?)")) {
      ps.setString(1, orderId);
      ps.setString(2, process);
      ps.setString(3, phase);
      ps.executeUpdate();
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

  /**
   * Fails unless ajc wove this class: the aspect marks every method it wove with {@link
   * WovenIdempotent}. A child calls it before its first call, so that an unwoven build cannot pass
   * for a woven one.
   *
   * @throws IllegalStateException naming the first method that is not woven
   */
  static void requireWoven() throws NoSuchMethodException {
    for (String name : new String[] {"charge", "settle"}) {
      Method method = Ledger.class.getDeclaredMethod(name, String.class);
      if (!method.isAnnotationPresent(WovenIdempotent.class)) {
        throw new IllegalStateException(
            method
                + " is not woven (no @WovenIdempotent): the aspectj-maven-plugin test-compile"
                + " execution in store-jdbc/pom.xml must compile Ledger.java with idempotent-aspectj"
                + " as an aspect library.");
      }
    }
  }
}
