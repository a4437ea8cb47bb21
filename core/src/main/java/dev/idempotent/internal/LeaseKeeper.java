package dev.idempotent.internal;

import dev.idempotent.Ticker;
import dev.idempotent.store.IdempotencyStore;
import java.util.Collection;
import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renews the leases of bodies that run longer than a third of their lease, so that a live owner is
 * never taken over; when the owner's process dies, renewal stops with it and the lease runs out.
 *
 * <p>One daemon thread for the JVM scans the running calls of every engine that has any, every
 * {@value #SCAN_MILLIS} ms. Registering a call costs nothing beyond the engine's own map of running
 * calls: the keeper first sees a call on its next scan and renews it a third of a lease later.
 * Leases shorter than about {@code 3 × }{@value #SCAN_MILLIS} ms are renewed late or not at all.
 */
final class LeaseKeeper {
  static final long SCAN_MILLIS = 100;
  private static final Logger LOG = LoggerFactory.getLogger(LeaseKeeper.class);
  private static final Set<Registry> REGISTRIES =
      Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));
  private static volatile Thread thread;

  /** What the keeper needs of one engine. */
  interface Registry {
    Collection<LocalCall> running();

    IdempotencyStore store();

    Ticker ticker();

    void leaseLost(LocalCall call);

    void renewalFailed(LocalCall call, RuntimeException failure);
  }

  private LeaseKeeper() {}

  static void watch(Registry registry) {
    REGISTRIES.add(registry);
    if (thread == null) {
      start();
    }
  }

  private static synchronized void start() {
    if (thread != null) {
      return;
    }
    Thread t = new Thread(LeaseKeeper::run, "idempotent-lease-keeper");
    t.setDaemon(true);
    thread = t;
    t.start();
  }

  private static void run() {
    while (true) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(SCAN_MILLIS));
      Registry[] registries;
      synchronized (REGISTRIES) {
        registries = REGISTRIES.toArray(new Registry[0]);
      }
      for (Registry registry : registries) {
        try {
          scan(registry);
        } catch (RuntimeException | Error e) {
          LOG.error("Lease renewal scan failed; leases may run out under running calls", e);
        }
      }
    }
  }

  private static void scan(Registry registry) {
    long now = registry.ticker().read();
    for (LocalCall call : registry.running()) {
      if (call.leaseLost) {
        continue;
      }
      long third = Math.max(1, call.policy.lease.toNanos() / 3);
      long next = call.nextRenewalNanos;
      if (next == 0) {
        call.nextRenewalNanos = now + third - TimeUnit.MILLISECONDS.toNanos(SCAN_MILLIS);
        continue;
      }
      if (now - next < 0) {
        continue;
      }
      try {
        if (registry.store().renew(call.key, call.token, call.policy.lease)) {
          call.nextRenewalNanos = now + third;
        } else {
          call.leaseLost = true;
          registry.leaseLost(call);
        }
      } catch (RuntimeException e) {
        registry.renewalFailed(call, e);
      }
    }
  }
}
