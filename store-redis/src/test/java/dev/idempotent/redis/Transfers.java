package dev.idempotent.redis;

import dev.idempotent.Idempotent;
import dev.idempotent.aspectj.WovenIdempotent;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The service the failover tests call from many threads: woven by ajc like {@link Ledger} (see this
 * module's pom), so every call runs through the engine given to {@code IdempotentAspect.configure}.
 * Each body counts its execution in memory, not in the Redis that fails over. Thread-safe.
 */
final class Transfers {
  /** How long an unfinished call holds its key, in milliseconds. */
  static final long LEASE_MILLIS = 8000;

  private final ConcurrentMap<String, AtomicInteger> executions = new ConcurrentHashMap<>();

  /** Counts an execution for {@code id} and returns a result unique to this execution. */
  @Idempotent(keyExpr = "#id", lease = LEASE_MILLIS + "ms", waitTimeout = "30s")
  String transfer(String id) {
    executions.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
    return id + "@" + UUID.randomUUID();
  }

  /** How many times the body ran for each key. */
  ConcurrentMap<String, AtomicInteger> executions() {
    return executions;
  }

  /**
   * Fails unless ajc wove this class.
   *
   * @throws IllegalStateException when {@link #transfer} carries no {@link WovenIdempotent}
   */
  static void requireWoven() throws NoSuchMethodException {
    if (!Transfers.class
        .getDeclaredMethod("transfer", String.class)
        .isAnnotationPresent(WovenIdempotent.class)) {
      throw new IllegalStateException(
          "Transfers.transfer is not woven: the aspectj-maven-plugin test-compile execution in"
              + " store-redis/pom.xml must include Transfers.java");
    }
  }
}
