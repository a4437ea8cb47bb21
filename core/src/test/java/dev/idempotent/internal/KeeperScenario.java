package dev.idempotent.internal;

import dev.idempotent.IdempotencyEngine;
import dev.idempotent.IdempotentOperation;

/**
 * Steps of the lease keeper's life, called by {@link LeaseKeeperLifecycleTest} on a copy of this
 * class loaded by a class loader of its own, so that its keeper starts from nothing and no other
 * test's engine keeps it alive.
 */
public final class KeeperScenario {
  private KeeperScenario() {}

  /** A payload written by the direct JSON writer. */
  public record Payload(String key, int amount) {}

  /** A new engine that has run calls, which made the keeper watch it. */
  public static AutoCloseable engineAfterOneCall(String key) {
    IdempotencyEngine engine = IdempotencyEngine.builder().build();
    IdempotentOperation<String> operation =
        engine.operation("keeper-scenario", String.class).build();
    operation.execute(key, () -> "ran " + key);
    // A checked call and its duplicate: the per-thread buffers and the coarse clock are used too.
    Payload payload = new Payload(key, 1);
    operation.execute(key + "-checked", payload, () -> "ran " + key);
    operation.execute(key + "-checked", payload, () -> "ran " + key);
    return engine;
  }

  /** The keeper thread of this class loader, or null when none runs. */
  public static Thread keeperThread() {
    return LeaseKeeper.thread();
  }

  /** Lets go of an engine after {@code scans} scans without a running call. */
  public static void releaseIdleEnginesAfter(int scans) {
    LeaseKeeper.idleScansBeforeRelease = scans;
  }
}
