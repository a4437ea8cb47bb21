package dev.idempotent.test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for a card network that numbers its charges and can be told to fail the next ones: the
 * fixtures' bodies call it, and the kit's tests check its count against what the kit saw.
 * Thread-safe.
 */
public final class Gateway {
  private final AtomicInteger charges = new AtomicInteger();
  private final AtomicInteger failuresLeft = new AtomicInteger();
  private volatile CountDownLatch hold;

  /** Charges, or throws {@link GatewayTimeout} when told to fail. */
  public Receipt charge(ChargeRequest request) {
    CountDownLatch latch = hold;
    if (latch != null) {
      try {
        latch.await(1, TimeUnit.MINUTES);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      throw new GatewayTimeout("card network did not answer");
    }
    return new Receipt("ch_" + charges.incrementAndGet(), request.customer(), request.amount());
  }

  /** The next {@code count} charges fail. */
  public void failNext(int count) {
    failuresLeft.set(count);
  }

  /** From now on each charge first waits (up to a minute) until {@code latch} opens. */
  public void holdChargesUntil(CountDownLatch latch) {
    hold = latch;
  }

  /** How many charges were made. */
  public int charges() {
    return charges.get();
  }

  /** A failure a retry may fix: never recorded. */
  public static final class GatewayTimeout extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception. */
    public GatewayTimeout(String message) {
      super(message);
    }
  }

  /** A final answer: recorded and replayed where the method lists it. */
  public static final class Declined extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception. */
    public Declined(String message) {
      super(message);
    }
  }
}
