package dev.idempotent.samples.payments;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for a card network: every call of {@link #charge} is a real charge, which is what the
 * samples count. It can be told to time out on the next calls, or to take a while. Thread-safe.
 */
public final class CardGateway {
  private final List<Receipt> charges = new CopyOnWriteArrayList<>();
  private final AtomicInteger timeoutsLeft = new AtomicInteger();
  private final AtomicInteger attempts = new AtomicInteger();
  private volatile Duration latency = Duration.ZERO;
  private final String idPrefix;

  /** A gateway whose charge ids are {@code ch_1}, {@code ch_2}, ... */
  public CardGateway() {
    this("ch_");
  }

  /**
   * A gateway whose charge ids start with {@code idPrefix}, to tell the gateways of several
   * processes apart.
   */
  public CardGateway(String idPrefix) {
    this.idPrefix = idPrefix;
  }

  /**
   * Charges the card.
   *
   * @throws GatewayTimeoutException when told to time out; nothing is charged then
   */
  public Receipt charge(String customer, java.math.BigDecimal amount, String currency) {
    attempts.incrementAndGet();
    sleep(latency);
    if (timeoutsLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      throw new GatewayTimeoutException("card network did not answer within 3 s");
    }
    Receipt receipt = new Receipt(idPrefix + (charges.size() + 1), customer, amount, currency);
    charges.add(receipt);
    return receipt;
  }

  /** The next {@code count} charges time out without charging. */
  public void timeOutNext(int count) {
    timeoutsLeft.set(count);
  }

  /** Every charge takes this long from now on. */
  public void latency(Duration latency) {
    this.latency = latency;
  }

  /** How many charges were attempted, including those still running and those that timed out. */
  public int attempts() {
    return attempts.get();
  }

  /** How many real charges were made. */
  public int chargesMade() {
    return charges.size();
  }

  private static void sleep(Duration d) {
    if (d.isZero()) {
      return;
    }
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new GatewayTimeoutException("interrupted");
    }
  }
}
