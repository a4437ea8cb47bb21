package dev.idempotent.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Threads that call the woven {@link Transfers#transfer} while a test disrupts Redis, and what they
 * saw. Each step of a thread makes a first call for a new key and calls a key issued earlier again,
 * so records written at any time are read again later; {@link #finalPass} calls every key once more
 * after the disruption, so a record that the disruption lost shows as a second execution.
 */
final class FailoverLoad {
  private final Transfers transfers;
  private final String name;
  private final int threads;
  private final AtomicInteger issued = new AtomicInteger();
  private final LongAdder calls = new LongAdder();
  private final LongAdder successes = new LongAdder();
  private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
  private final List<Thread> workers = new ArrayList<>();
  private final long started = System.nanoTime();
  private volatile boolean running;
  private volatile long disruptedAt = Long.MAX_VALUE;
  private volatile long recoveringFrom = Long.MAX_VALUE;
  private final LongAdder executionsAfterRecovery = new LongAdder();
  private final AtomicLong lastErrorAfter = new AtomicLong();
  private final LongAdder errorsBefore = new LongAdder();

  FailoverLoad(Transfers transfers, String name, int threads) {
    this.transfers = transfers;
    this.name = name;
    this.threads = threads;
  }

  /** Starts the threads. */
  void start() {
    running = true;
    for (int t = 0; t < threads; t++) {
      Thread worker = new Thread(this::work, name + "-load-" + t);
      worker.setDaemon(true);
      worker.start();
      workers.add(worker);
    }
  }

  /**
   * A caller's loop: a new key (or the last one again, as a client retries a request that failed),
   * then an earlier key again. After a failed call the thread backs off for 10 ms, as a client
   * would, so that calls failing fast during the outage do not spin.
   */
  private void work() {
    String current = null;
    while (running) {
      if (current == null) {
        current = key(issued.getAndIncrement());
      }
      if (call(current, true)) {
        current = null;
      } else {
        backOff();
      }
      if (!call(key(ThreadLocalRandom.current().nextInt(issued.get())), false)) {
        backOff();
      }
    }
  }

  private static void backOff() {
    LockSupport.parkNanos(10_000_000L);
  }

  private String key(int n) {
    return name + "-" + n;
  }

  private boolean call(String key, boolean fresh) {
    long begun = System.nanoTime();
    try {
      transfers.transfer(key);
      successes.increment();
      if (fresh && begun > recoveringFrom) {
        executionsAfterRecovery.increment();
      }
      return true;
    } catch (RuntimeException e) {
      errors.computeIfAbsent(e.getClass().getSimpleName(), k -> new LongAdder()).increment();
      long failed = System.nanoTime();
      if (begun > disruptedAt) {
        lastErrorAfter.accumulateAndGet(failed, Math::max);
      } else if (failed < disruptedAt) {
        errorsBefore.increment();
      }
      return false;
    } finally {
      calls.increment();
    }
  }

  /** Waits until {@code count} calls succeeded in all, or fails after {@code timeout}. */
  void awaitSuccesses(long count, Duration timeout) throws InterruptedException {
    await(() -> successes.sum() >= count, timeout, count + " successful calls");
  }

  /** How many calls succeeded so far. */
  long successes() {
    return successes.sum();
  }

  /**
   * Marks now as the moment of the disruption, for the recovery times; calls that failed before it
   * are counted apart (in a Cluster: while slots moved).
   */
  void disrupted() {
    disruptedAt = System.nanoTime();
  }

  /**
   * Waits until {@code count} first calls that started from now on succeeded, or fails after {@code
   * timeout}.
   */
  void awaitRecovery(long count, Duration timeout) throws InterruptedException {
    recoveringFrom = System.nanoTime();
    await(
        () -> executionsAfterRecovery.sum() >= count,
        timeout,
        count + " new keys executed after the failover");
  }

  /** Stops the threads and waits for them. */
  void stop() throws InterruptedException {
    running = false;
    for (Thread worker : workers) {
      worker.join(60_000);
    }
  }

  /**
   * Calls every issued key once more, with the same threads' worth of parallelism, retrying a key
   * whose call fails until {@code timeout}. Returns how many keys still failed.
   */
  int finalPass(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    AtomicInteger next = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    int total = issued.get();
    List<Thread> passes = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread pass =
          new Thread(
              () -> {
                for (int n = next.getAndIncrement(); n < total; n = next.getAndIncrement()) {
                  if (!callUntil(key(n), deadline)) {
                    failed.incrementAndGet();
                  }
                }
              },
              name + "-final-" + t);
      pass.start();
      passes.add(pass);
    }
    for (Thread pass : passes) {
      pass.join();
    }
    return failed.get();
  }

  private boolean callUntil(String key, long deadline) {
    while (true) {
      try {
        transfers.transfer(key);
        calls.increment();
        return true;
      } catch (RuntimeException e) {
        calls.increment();
        errors
            .computeIfAbsent("final " + e.getClass().getSimpleName(), k -> new LongAdder())
            .increment();
        if (System.nanoTime() - deadline > 0) {
          return false;
        }
        backOff();
      }
    }
  }

  /** What happened, per the bodies' own count. */
  Figures figures() {
    int keys = issued.get();
    long executions = 0;
    long duplicates = 0;
    int keysTwice = 0;
    int keysNever = 0;
    for (int n = 0; n < keys; n++) {
      AtomicInteger count = transfers.executions().get(key(n));
      int c = count == null ? 0 : count.get();
      executions += c;
      duplicates += Math.max(0, c - 1);
      keysTwice += c > 1 ? 1 : 0;
      keysNever += c == 0 ? 1 : 0;
    }
    Map<String, Long> errorCounts = new TreeMap<>();
    errors.forEach((type, count) -> errorCounts.put(type, count.sum()));
    return new Figures(
        name,
        keys,
        calls.sum(),
        executions,
        duplicates,
        keysTwice,
        keysNever,
        errorCounts,
        errorsBefore.sum(),
        millisAfterDisruption(lastErrorAfter.get()),
        (System.nanoTime() - started) / 1_000_000);
  }

  private long millisAfterDisruption(long at) {
    return at == 0 || disruptedAt == Long.MAX_VALUE ? -1 : (at - disruptedAt) / 1_000_000;
  }

  /**
   * The figures of one run. {@code recoveredAfterMillis}: from the kill to the end of the last call
   * that failed after it, the outage as the callers saw it; {@code errorsBeforeKill}: calls that
   * failed before the kill (in a Cluster, while slots moved).
   */
  record Figures(
      String run,
      int keys,
      long calls,
      long executions,
      long duplicateExecutions,
      int keysExecutedMoreThanOnce,
      int keysNeverExecuted,
      Map<String, Long> errorsByType,
      long errorsBeforeKill,
      long recoveredAfterMillis,
      long elapsedMillis) {

    @Override
    public String toString() {
      return run
          + ": keys="
          + keys
          + " calls="
          + calls
          + " executions="
          + executions
          + " duplicateExecutions="
          + duplicateExecutions
          + " keysExecutedMoreThanOnce="
          + keysExecutedMoreThanOnce
          + " keysNeverExecuted="
          + keysNeverExecuted
          + " errorsByType="
          + errorsByType
          + " errorsBeforeKill="
          + errorsBeforeKill
          + " recoveredAfterMs="
          + recoveredAfterMillis
          + " elapsedMs="
          + elapsedMillis;
    }
  }

  /** Polls {@code condition} every 20 ms until it holds, or fails after {@code timeout}. */
  static void await(BooleanSupplier condition, Duration timeout, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("not within " + timeout + ": " + what);
      }
      Thread.sleep(20);
    }
  }
}
