package dev.idempotent;

/**
 * A source of nanosecond time for leases, ttls and waits. The engine and the Caffeine store read
 * time only through a ticker, so tests can advance time instead of sleeping. Implementations must
 * be thread-safe and monotonic.
 */
@FunctionalInterface
public interface Ticker {

  /** Nanoseconds since an arbitrary origin; only differences between readings mean anything. */
  long read();

  /** The system ticker, {@link System#nanoTime()}. */
  static Ticker system() {
    return SystemTicker.INSTANCE;
  }
}

enum SystemTicker implements Ticker {
  INSTANCE;

  @Override
  public long read() {
    return System.nanoTime();
  }
}
