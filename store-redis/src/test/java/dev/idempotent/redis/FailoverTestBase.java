package dev.idempotent.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.idempotent.IdempotencyEngine;
import dev.idempotent.aspectj.IdempotentAspect;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What every failover scenario must show, run once with {@link Durability} on and once without:
 * with it, every key's body ran exactly once; without it, every key ran and the duplicates are
 * printed, not asserted, because their number depends on what was in flight at the failure. A
 * scenario runs its load through the woven {@link Transfers}, on an engine it gives to the aspect.
 *
 * <p>The default run keeps the load short; {@code -Didempotent.redis.failover.long=true} runs it
 * longer.
 */
abstract class FailoverTestBase {
  static final boolean LONG = Boolean.getBoolean("idempotent.redis.failover.long");
  static final int THREADS = 8;
  static final long CALLS_BEFORE = LONG ? 20_000 : 600;
  static final long EXECUTIONS_AFTER = LONG ? 5_000 : 200;
  static final Duration PATIENCE = Duration.ofSeconds(90);

  /** One replica, half a second: what the durable runs ask for. */
  static final Durability DURABLE = Durability.replicas(1, Duration.ofMillis(500));

  private static IdempotencyEngine previousEngine;

  @BeforeAll
  static void requireWoven() throws NoSuchMethodException {
    Transfers.requireWoven();
    previousEngine = IdempotentAspect.engine();
  }

  @AfterAll
  static void restoreEngine() {
    IdempotentAspect.configure(previousEngine);
  }

  /**
   * Runs the scenario: starts the servers, calls {@link Transfers#transfer} from {@link #THREADS}
   * threads through a store with the given durability, disrupts, recovers, makes the final pass,
   * prints the figures and returns them.
   */
  abstract FailoverLoad.Figures run(String name, Durability durability) throws Exception;

  /** The scenario's name in the printed figures. */
  abstract String scenario();

  @Test
  void withDurabilityEveryKeyRunsExactlyOnce() throws Exception {
    FailoverLoad.Figures figures = run(scenario() + "-durable", DURABLE);
    assertEquals(0, figures.keysNeverExecuted(), figures.toString());
    assertEquals(0, figures.duplicateExecutions(), figures.toString());
    assertEquals(figures.keys(), figures.executions(), figures.toString());
  }

  @Test
  void withoutDurabilityEveryKeyRunsAndDuplicatesArePrinted() throws Exception {
    FailoverLoad.Figures figures = run(scenario() + "-plain", Durability.none());
    assertEquals(0, figures.keysNeverExecuted(), figures.toString());
    assertTrue(figures.executions() >= figures.keys(), figures.toString());
  }

  /** Brings a killed server back. */
  interface BringBack {
    void run() throws Exception;
  }

  /**
   * Kills {@code victim} with SIGKILL under {@code load}, waits until {@code promoted} holds,
   * brings the victim back, waits for the load to recover, stops it, calls every key once more,
   * prints the figures with {@code details} and returns them. The {@code successor}, a replica
   * until the failover, never ran the store's scripts: it must have answered {@code NOSCRIPT} and
   * been sent the source.
   */
  static FailoverLoad.Figures killAndRecover(
      FailoverLoad load,
      Durability durability,
      PrivateRedis victim,
      PrivateRedis successor,
      BooleanSupplier promoted,
      BringBack bringBack,
      String details)
      throws Exception {
    long killed = System.nanoTime();
    load.disrupted();
    victim.kill();
    FailoverLoad.await(promoted, PATIENCE, "a replica took over");
    long promotedAt = System.nanoTime();
    bringBack.run();
    load.awaitRecovery(EXECUTIONS_AFTER, PATIENCE);
    load.stop();
    int unfinished = load.finalPass(PATIENCE);
    FailoverLoad.Figures figures = load.figures();
    long noScript = successor.errorCount("NOSCRIPT");
    long eval = successor.commandCalls("eval");
    System.out.println(
        figures
            + " durability="
            + durability
            + " "
            + details
            + " promotedAfterMs="
            + (promotedAt - killed) / 1_000_000
            + " keysFailingInFinalPass="
            + unfinished
            + " newMasterNoScriptAnswers="
            + noScript
            + " newMasterEvals="
            + eval);
    assertEquals(0, unfinished, figures.toString());
    assertTrue(noScript >= 1 && eval >= 1, "the new master was sent the scripts' source");
    return figures;
  }

  /** Sets the engine that the woven {@link Transfers} calls go through. */
  static void useStore(RedisIdempotencyStore store) {
    IdempotentAspect.configure(IdempotencyEngine.builder().store(store).build());
  }
}
