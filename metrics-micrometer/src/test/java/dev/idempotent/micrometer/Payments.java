package dev.idempotent.micrometer;

import dev.idempotent.IdempotencyEngine;
import dev.idempotent.Idempotent;
import dev.idempotent.InFlight;
import dev.idempotent.store.IdempotencyKey;
import dev.idempotent.testing.FakeTicker;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A service whose methods each lead the engine down one path of the protocol, called the way an
 * adapter calls them. Arguments and results look like card data, so tests can search logs for them.
 */
final class Payments {
  /** A charge request; the card number is the kind of value that must never reach a log. */
  record Charge(String id, String cardNumber, long cents) {}

  /** A charge's result; the authorization code must never reach a log either. */
  record Receipt(String id, String authorization) {}

  /** The lease of {@link #nightly}, which its body outlives. */
  static final Duration NIGHTLY_LEASE = Duration.ofSeconds(10);

  private final FakeTicker ticker;
  private final ScriptedStore store;
  final AtomicInteger runs = new AtomicInteger();

  Payments(FakeTicker ticker, ScriptedStore store) {
    this.ticker = ticker;
    this.store = store;
  }

  @Idempotent(keyExpr = "#cmd.id", namespace = "payments.charge")
  Receipt charge(Charge cmd) {
    return receipt(cmd);
  }

  @Idempotent(keyExpr = "#cmd.id", namespace = "payments.refund")
  Receipt refund(Charge cmd) {
    runs.incrementAndGet();
    throw new IllegalStateException("declined: card " + cmd.cardNumber());
  }

  @Idempotent(keyExpr = "#cmd.id", namespace = "payments.capture", onInFlight = InFlight.REJECT)
  Receipt capture(Charge cmd) {
    return receipt(cmd);
  }

  @Idempotent(keyExpr = "#cmd.id", namespace = "payments.settle")
  Receipt settle(Charge cmd) {
    return receipt(cmd);
  }

  /**
   * Runs past its lease, and meanwhile another process takes the key over, so its completion is
   * refused as stale.
   */
  @Idempotent(keyExpr = "#cmd.id", namespace = "jobs.nightly", lease = "10s")
  Receipt nightly(Charge cmd) {
    ticker.advance(NIGHTLY_LEASE.plusSeconds(1));
    store.acquire(IdempotencyKey.of("jobs.nightly", cmd.id()), null, NIGHTLY_LEASE);
    return receipt(cmd);
  }

  /** Calls {@code name} through {@code engine} as an adapter does. */
  Receipt call(IdempotencyEngine engine, String name, Charge cmd) throws Throwable {
    Method method = method(name);
    return (Receipt)
        engine.invoke(
            method,
            new Object[] {cmd},
            () -> {
              try {
                return method.invoke(this, cmd);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  static Method method(String name) {
    return Arrays.stream(Payments.class.getDeclaredMethods())
        .filter(m -> m.getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no method " + name));
  }

  private Receipt receipt(Charge cmd) {
    return new Receipt(cmd.id(), "AUTH-" + cmd.cardNumber() + "-" + runs.incrementAndGet());
  }
}
