package dev.idempotent.internal;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A reading of {@link System#nanoTime()} at most about {@value #PERIOD_MILLIS} ms old, for checks
 * that only need to know whether hours-long deadlines have passed: a Caffeine store's expiry of
 * completed records on every duplicate's lookup. Reading the system clock costs tens of nanoseconds
 * on virtual machines whose clock the guest cannot read directly, which on a duplicate's lookup is
 * as much as the rest of it; this costs a field read.
 *
 * <p>A daemon thread, {@code idempotent-clock}, refreshes the reading while the clock is read, and
 * ends after about a second without reads, so that an idle application keeps no thread and a closed
 * one no class loader; the next read starts it again and gets the system clock meanwhile. The
 * reading lags the system clock by the period, or by longer while the thread waits for a core, and
 * never runs ahead of it: deadlines checked against it pass late, never early. Thread-safe.
 */
final class CoarseClock {
  static final long PERIOD_MILLIS = 50;

  /** How many periods without a read end the thread. */
  private static final int IDLE_PERIODS = 20;

  private static final long PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(PERIOD_MILLIS);

  private static volatile long reading;

  /** Whether the thread is refreshing {@link #reading}. Changes under the class's lock. */
  private static volatile boolean ticking;

  /** Whether the clock was read since the thread last looked. */
  private static volatile boolean read;

  private CoarseClock() {}

  /**
   * A recent {@link System#nanoTime()} reading.
   *
   * @return the reading
   */
  static long read() {
    if (ticking) {
      if (!read) {
        read = true;
      }
      return reading;
    }
    return start();
  }

  private static synchronized long start() {
    long now = System.nanoTime();
    read = true;
    if (!ticking) {
      reading = now;
      ticking = true;
      Thread thread = new Thread(CoarseClock::tick, "idempotent-clock");
      thread.setDaemon(true);
      thread.setContextClassLoader(null);
      thread.start();
    }
    return now;
  }

  private static void tick() {
    int idle = 0;
    while (true) {
      LockSupport.parkNanos(PERIOD_NANOS);
      reading = System.nanoTime();
      if (read) {
        read = false;
        idle = 0;
      } else if (++idle >= IDLE_PERIODS && stopIfStillIdle()) {
        return;
      }
    }
  }

  private static synchronized boolean stopIfStillIdle() {
    if (read) {
      return false;
    }
    ticking = false;
    return true;
  }

  /** Whether the thread is running now; for tests. */
  static boolean ticking() {
    return ticking;
  }
}
