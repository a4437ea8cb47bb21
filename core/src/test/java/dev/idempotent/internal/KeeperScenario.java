package dev.idempotent.internal;

import dev.idempotent.IdempotencyEngine;

/**
 * Steps of the lease keeper's life, called by {@link LeaseKeeperLifecycleTest} on a copy of this
 * class loaded by a class loader of its own, so that its keeper starts from nothing and no other
 * test's engine keeps it alive.
 */
public final class KeeperScenario {
  private KeeperScenario() {}

  /** A new engine that has run one call, which made the keeper watch it. */
  public static AutoCloseable engineAfterOneCall(String key) {
    IdempotencyEngine engine = IdempotencyEngine.builder().build();
    engine.operation("keeper-scenario", String.class).build().execute(key, () -> "ran " + key);
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
