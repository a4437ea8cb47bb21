package dev.idempotent.samples.payments;

import dev.idempotent.IdempotencyKeyReuseException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The story every payments sample tells: a charge, a retry after a lost response, a concurrent
 * duplicate, a key reused for a different amount, and a failure that is retried. It counts the
 * gateway's real charges and says whether each logical payment was charged exactly once.
 */
public final class PaymentStory {
  private final Payments payments;
  private final CardGateway gateway;
  private final PrintStream out;

  /**
   * @param payments the protected service
   * @param gateway the gateway behind it, whose charges are counted
   * @param out where the story is told
   */
  public PaymentStory(Payments payments, CardGateway gateway, PrintStream out) {
    this.payments = payments;
    this.gateway = gateway;
    this.out = out;
  }

  /**
   * Tells the story.
   *
   * @return true when every logical payment was charged exactly once
   */
  public boolean tell() throws Exception {
    ChargeRequest order1 = request("order-1001", "alice", "42.00");
    Receipt first = payments.charge(order1);
    step("1. Charge order-1001, 42.00 EUR", "receipt " + first.id());

    Receipt retry = payments.charge(request("order-1001", "alice", "42.00"));
    step(
        "2. Response lost; the client retries",
        "receipt " + retry.id() + (retry.equals(first) ? " again, replayed" : ", A SECOND CHARGE"));

    gateway.latency(Duration.ofMillis(300));
    ExecutorService clients = Executors.newFixedThreadPool(2);
    try {
      ChargeRequest order2 = request("order-1002", "bob", "15.50");
      CompletableFuture<Receipt> a =
          CompletableFuture.supplyAsync(() -> payments.charge(order2), clients);
      CompletableFuture<Receipt> b =
          CompletableFuture.supplyAsync(() -> payments.charge(order2), clients);
      Receipt ra = a.get(30, TimeUnit.SECONDS);
      Receipt rb = b.get(30, TimeUnit.SECONDS);
      step(
          "3. Two concurrent requests for order-1002",
          ra.equals(rb)
              ? "both got receipt " + ra.id() + " (one waited for the other)"
              : "DIFFERENT receipts " + ra.id() + " and " + rb.id());
    } finally {
      gateway.latency(Duration.ZERO);
      clients.shutdownNow();
    }

    try {
      payments.charge(request("order-1001", "alice", "99.00"));
      step("4. Key order-1001 reused for 99.00 EUR", "CHARGED: the reuse went unnoticed");
    } catch (IdempotencyKeyReuseException e) {
      step(
          "4. Key order-1001 reused for 99.00 EUR", "rejected: the key belongs to another request");
    }

    gateway.timeOutNext(1);
    ChargeRequest order3 = request("order-1003", "carol", "7.25");
    String failure;
    try {
      payments.charge(order3);
      failure = "no failure";
    } catch (GatewayTimeoutException e) {
      failure = "failed (" + e.getMessage() + ")";
    }
    Receipt third = payments.charge(order3);
    step(
        "5. order-1003: the gateway times out, the client retries",
        failure + ", then receipt " + third.id());

    int logical = 3;
    int real = gateway.chargesMade();
    out.println();
    out.printf("Logical payments: %d. Real charges: %d.%n", logical, real);
    boolean ok = real == logical;
    out.println(
        ok
            ? "Every payment was charged exactly once."
            : "DUPLICATE CHARGES: idempotency is not in effect.");
    return ok;
  }

  private void step(String what, String result) {
    out.printf("%-58s -> %s%n", what, result);
  }

  private static ChargeRequest request(String key, String customer, String amount) {
    return new ChargeRequest(key, customer, new BigDecimal(amount), "EUR");
  }
}
