package dev.idempotent.test;

import dev.idempotent.Ticker;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link Ticker} that moves only when a test advances it, so a test expires a ttl or a lease
 * without sleeping. Starts at an arbitrary point; only differences between readings mean anything.
 * Thread-safe: any thread may read it while the test advances it.
 */
public final class FakeTicker implements Ticker {
  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

  /** A ticker at an arbitrary start; it stands still until {@link #advance} is called. */
  public FakeTicker() {}

  @Override
  public long read() {
    return nanos.get();
  }

  /**
   * Moves time forward by {@code duration}.
   *
   * @param duration how far; zero leaves the time as it is
   * @throws IllegalArgumentException when {@code duration} is negative: a ticker never goes back
   * @throws NullPointerException when {@code duration} is null
   */
  public void advance(Duration duration) {
    Objects.requireNonNull(duration, "duration");
    if (duration.isNegative()) {
      throw new IllegalArgumentException(
          "FakeTicker.advance: duration must not be negative, was "
              + duration
              + "; a ticker is monotonic, so time only moves forward");
    }
    nanos.addAndGet(duration.toNanos());
  }

  @Override
  public String toString() {
    return "FakeTicker[" + nanos.get() + " ns]";
  }
}
