package dev.idempotent.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

class CoarseClockTest {
  @Test
  void neverRunsAheadOfTheSystemClockAndLagsLittle() {
    long worstLag = 0;
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300);
    while (System.nanoTime() < end) {
      long coarse = CoarseClock.read();
      long precise = System.nanoTime();
      assertTrue(coarse <= precise, "the coarse reading ran ahead of the system clock");
      worstLag = Math.max(worstLag, precise - coarse);
    }
    // The period is 50 ms; a loaded machine may keep the thread waiting, hence the margin.
    assertTrue(worstLag < TimeUnit.SECONDS.toNanos(5), "lagged by " + worstLag + " ns");
  }

  @Test
  void theThreadEndsWhenNobodyReadsAndStartsAgainOnTheNextRead() {
    CoarseClock.read();
    assertTrue(CoarseClock.ticking());
    // Another test's engine may read the clock meanwhile (a lease renewal); it stops a second
    // after any read, so it is seen stopped well within the deadline.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    long seenStopped = 0;
    while (System.nanoTime() < deadline) {
      long now = System.nanoTime();
      if (!CoarseClock.ticking()) {
        seenStopped = now;
        break;
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
    }
    assertTrue(seenStopped != 0, "the clock thread kept running without readers");
    long reading = CoarseClock.read();
    assertTrue(reading >= seenStopped, "a read after the thread stopped must not be older");
    assertTrue(CoarseClock.ticking());
  }
}
