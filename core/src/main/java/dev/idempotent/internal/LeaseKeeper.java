package dev.idempotent.internal;

import dev.idempotent.Ticker;
import dev.idempotent.store.IdempotencyStore;
import java.util.Collection;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renews the leases of bodies that run longer than a third of their lease, so that a live owner is
 * never taken over; when the owner's process dies, renewal stops with it and the lease runs out.
 *
 * <p>One daemon thread, {@code idempotent-lease-keeper}, scans the running calls of every engine it
 * watches every {@value #SCAN_MILLIS} ms. An engine is watched from its first call on, and let go
 * when it is closed, when it becomes unreachable, or when it has had no running call for {@link
 * #IDLE_SCANS_BEFORE_RELEASE} scans in a row (a minute); its next call watches it again. The thread
 * ends once it watches no engine and starts again when an engine needs it, so it never outlives the
 * engines of a web application that was undeployed, and never pins its class loader. Registering a
 * call costs nothing beyond the engine's own map of running calls: the keeper first sees a call on
 * its next scan and renews it a third of a lease later. Leases shorter than about {@code 3 ×
 * }{@value #SCAN_MILLIS} ms are renewed late or not at all.
 */
final class LeaseKeeper {
  static final long SCAN_MILLIS = 100;

  /** How many scans in a row an engine may have no running call before it is let go. */
  static final int IDLE_SCANS_BEFORE_RELEASE = 600;

  private static final Logger LOG = LoggerFactory.getLogger(LeaseKeeper.class);
  private static final Object LOCK = new Object();

  /** The watched engines, each with the count of scans in a row that found it idle. */
  private static final Map<Registry, int[]> WATCHED = new WeakHashMap<>();

  /** The keeper thread; null while no engine is watched. Guarded by {@link #LOCK}. */
  private static Thread thread;

  /** Scans in a row before an idle engine is let go; lowered by tests only. */
  static volatile int idleScansBeforeRelease = IDLE_SCANS_BEFORE_RELEASE;

  /** What the keeper needs of one engine. */
  interface Registry {
    Collection<LocalCall> running();

    IdempotencyStore store();

    Ticker ticker();

    /** Whether the engine is closed: a closed engine is never watched again. */
    boolean isClosed();

    /** Tells the engine that the keeper let it go: its next call must watch it again. */
    void released();

    void leaseLost(LocalCall call);

    void renewalFailed(LocalCall call, RuntimeException failure);
  }

  private LeaseKeeper() {}

  /** Watches {@code registry}, starting the thread when none runs; ignored for a closed one. */
  static void watch(Registry registry) {
    synchronized (LOCK) {
      if (registry.isClosed()) {
        registry.released();
        return;
      }
      WATCHED.put(registry, new int[1]);
      if (thread == null) {
        Thread t = new Thread(LeaseKeeper::run, "idempotent-lease-keeper");
        t.setDaemon(true);
        // The thread would otherwise keep the class loader of whichever application started it.
        t.setContextClassLoader(null);
        thread = t;
        t.start();
      }
    }
  }

  /** Lets {@code registry} go; the thread ends at once when it was the last one watched. */
  static void unwatch(Registry registry) {
    synchronized (LOCK) {
      WATCHED.remove(registry);
      registry.released();
      stopWhenIdle();
    }
  }

  /** The keeper thread, or null when none runs: for tests. */
  static Thread thread() {
    synchronized (LOCK) {
      return thread;
    }
  }

  private static boolean stopWhenIdle() {
    if (!WATCHED.isEmpty() || thread == null) {
      return false;
    }
    Thread stopped = thread;
    thread = null;
    LockSupport.unpark(stopped);
    return true;
  }

  private static void run() {
    Thread self = Thread.currentThread();
    while (true) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(SCAN_MILLIS));
      Registry[] registries;
      int[][] idle;
      synchronized (LOCK) {
        if (thread != self || stopWhenIdle()) {
          return;
        }
        registries = new Registry[WATCHED.size()];
        idle = new int[registries.length][];
        int n = 0;
        for (Map.Entry<Registry, int[]> entry : WATCHED.entrySet()) {
          registries[n] = entry.getKey();
          idle[n++] = entry.getValue();
        }
      }
      for (int i = 0; i < registries.length; i++) {
        Registry registry = registries[i];
        if (registry == null) {
          continue;
        }
        try {
          if (scan(registry)) {
            idle[i][0] = 0;
          } else if (++idle[i][0] >= idleScansBeforeRelease) {
            releaseIdle(registry);
          }
        } catch (RuntimeException | Error e) {
          LOG.error("Lease renewal scan failed; leases may run out under running calls", e);
        }
      }
    }
  }

  /**
   * Lets go of an engine that had no running call for a while. A call registered meanwhile either
   * saw the engine still watched before {@code released()} (and this sees its entry in the map of
   * running calls afterwards, so the engine stays) or watches it again itself.
   */
  private static void releaseIdle(Registry registry) {
    synchronized (LOCK) {
      WATCHED.remove(registry);
      registry.released();
      if (!registry.running().isEmpty() && !registry.isClosed()) {
        WATCHED.put(registry, new int[1]);
      }
    }
  }

  /** Renews what is due; returns whether the engine had any running call. */
  private static boolean scan(Registry registry) {
    long now = registry.ticker().read();
    boolean any = false;
    for (LocalCall call : registry.running()) {
      any = true;
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
    return any;
  }
}
