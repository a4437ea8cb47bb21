package dev.idempotent.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
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
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (CoarseClock.ticking() && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertFalse(CoarseClock.ticking(), "the clock thread kept running without readers");
    long before = System.nanoTime();
    long reading = CoarseClock.read();
    assertTrue(reading >= before, "a read while stopped must read the system clock");
    assertTrue(CoarseClock.ticking());
  }
}
