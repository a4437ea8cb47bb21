package dev.idempotent.aspectj;

import dev.idempotent.IdempotencyEngine;

/**
 * Woven calls on the aspect's default engine, run by {@link DefaultEngineUseTest} on a copy of this
 * class loaded by a class loader of its own, so that the aspect starts with no engine at all.
 */
public final class DefaultEngineScenario {
  private DefaultEngineScenario() {}

  /** Builds an engine with a shared store, never configures it, and charges twice. */
  public static int chargeTwiceWithAnEngineNeverConfigured() {
    IdempotencyEngine.builder().store(new SharedStoreStandIn()).build();
    return chargeTwice();
  }

  /** Charges twice with nothing built or configured. */
  public static int chargeTwiceWithNothingConfigured() {
    return chargeTwice();
  }

  /** Closes the open engines, builds one with a shared store and closes it too, then charges. */
  public static int chargeTwiceAfterTheSharedEngineWasClosed() {
    IdempotencyEngine.openEngines().forEach(IdempotencyEngine::close);
    IdempotencyEngine.builder().store(new SharedStoreStandIn()).build().close();
    return chargeTwice();
  }

  private static int chargeTwice() {
    Ledger ledger = new Ledger();
    ledger.first("charge-1");
    ledger.first("charge-1");
    return ledger.runs.get();
  }
}
