package dev.idempotent.internal;

import java.lang.ref.WeakReference;

/**
 * What the protocol reuses per thread instead of allocating per call: the probe that looks keys up
 * in a store of this JVM ({@link LocalRecords.Probe}). The thread-local holds it through a weak
 * reference, a JDK type: a thread that outlives the application (a container's pool thread) then
 * keeps nothing of this class loader reachable. A collection may drop the holder between calls; the
 * next call makes a new one. Used only by its own thread.
 */
final class ThisThread {
  private static final ThreadLocal<WeakReference<ThisThread>> CURRENT = new ThreadLocal<>();

  /** Filled for each lookup and cleared after it, so it keeps no key or record reachable. */
  final LocalRecords.Probe probe = new LocalRecords.Probe();

  private ThisThread() {}

  /** This thread's. */
  static ThisThread get() {
    WeakReference<ThisThread> held = CURRENT.get();
    ThisThread here = held == null ? null : held.get();
    if (here == null) {
      here = new ThisThread();
      CURRENT.set(new WeakReference<>(here));
    }
    return here;
  }
}
