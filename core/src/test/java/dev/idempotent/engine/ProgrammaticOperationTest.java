package dev.idempotent.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.idempotent.IdempotencyDefinitionException;
import dev.idempotent.IdempotencyEngine;
import dev.idempotent.IdempotencyInProgressException;
import dev.idempotent.IdempotencyKeyReuseException;
import dev.idempotent.IdempotentOperation;
import dev.idempotent.InFlight;
import dev.idempotent.testing.FakeTicker;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ProgrammaticOperationTest {
  record ChargeRequest(String customer, BigDecimal amount) {}

  record Receipt(String id, BigDecimal amount) {}

  private final FakeTicker ticker = new FakeTicker();
  private final IdempotencyEngine engine = IdempotencyEngine.builder().ticker(ticker).build();
  private final AtomicInteger charges = new AtomicInteger();

  private Receipt charge(ChargeRequest request) {
    return new Receipt("r-" + charges.incrementAndGet(), request.amount());
  }

  @Test
  void executeRunsOncePerKey() {
    IdempotentOperation<Receipt> op = engine.operation("payments.charge", Receipt.class).build();
    ChargeRequest request = new ChargeRequest("c-1", BigDecimal.TEN);
    Receipt first = op.execute("key-1", request, () -> charge(request));
    Receipt second = op.execute("key-1", request, () -> charge(request));
    assertEquals(first, second);
    assertEquals(1, charges.get());
    assertEquals("r-2", op.execute("key-2", request, () -> charge(request)).id());
  }

  @Test
  void differentPayloadWithTheSameKeyIsKeyReuse() {
    IdempotentOperation<Receipt> op = engine.operation("payments.charge", Receipt.class).build();
    op.execute(
        "key-1",
        new ChargeRequest("c-1", BigDecimal.TEN),
        () -> charge(new ChargeRequest("c-1", BigDecimal.TEN)));
    IdempotencyKeyReuseException e =
        assertThrows(
            IdempotencyKeyReuseException.class,
            () ->
                op.execute(
                    "key-1",
                    new ChargeRequest("c-1", BigDecimal.ONE),
                    () -> charge(new ChargeRequest("c-1", BigDecimal.ONE))));
    assertTrue(e.getMessage().contains("operation 'payments.charge'"), e.getMessage());
  }

  @Test
  void ttlComesFromTheBuilder() {
    IdempotentOperation<Receipt> op =
        engine.operation("payments.charge", Receipt.class).ttl(Duration.ofMinutes(5)).build();
    ChargeRequest request = new ChargeRequest("c-1", BigDecimal.TEN);
    op.execute("k", () -> charge(request));
    ticker.advance(Duration.ofMinutes(6));
    op.execute("k", () -> charge(request));
    assertEquals(2, charges.get());
  }

  @Test
  void operationsWithDifferentNamespacesDoNotShareKeys() {
    ChargeRequest request = new ChargeRequest("c-1", BigDecimal.TEN);
    engine.operation("a", Receipt.class).build().execute("k", () -> charge(request));
    engine.operation("b", Receipt.class).build().execute("k", () -> charge(request));
    assertEquals(2, charges.get());
  }

  @Test
  void operationSharesTheStoreWithOtherOperationsOfTheSameNamespace() {
    ChargeRequest request = new ChargeRequest("c-1", BigDecimal.TEN);
    engine.operation("a", Receipt.class).build().execute("k", () -> charge(request));
    engine.operation("a", Receipt.class).build().execute("k", () -> charge(request));
    assertEquals(1, charges.get());
  }

  @Test
  void executeAsyncCompletesTheRecordWhenTheFutureDoes() throws Exception {
    IdempotentOperation<Receipt> op = engine.operation("payments.async", Receipt.class).build();
    CompletableFuture<Receipt> gate = new CompletableFuture<>();
    CompletableFuture<Receipt> first = op.executeAsync("k", () -> gate);
    gate.complete(charge(new ChargeRequest("c", BigDecimal.ONE)));
    Receipt receipt = first.get(5, TimeUnit.SECONDS);
    assertEquals(
        receipt,
        op.executeAsync("k", () -> CompletableFuture.failedFuture(new AssertionError()))
            .get(5, TimeUnit.SECONDS));
    assertEquals(1, charges.get());
  }

  @Test
  void rejectPolicyRefusesAConcurrentDuplicate() throws Exception {
    IdempotentOperation<Receipt> op =
        engine.operation("payments.reject", Receipt.class).onInFlight(InFlight.REJECT).build();
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Future<Receipt> first =
          pool.submit(
              () ->
                  op.execute(
                      "k",
                      () -> {
                        entered.countDown();
                        try {
                          release.await();
                        } catch (InterruptedException e) {
                          throw new IllegalStateException(e);
                        }
                        return charge(new ChargeRequest("c", BigDecimal.ONE));
                      }));
      assertTrue(entered.await(5, TimeUnit.SECONDS));
      assertThrows(
          IdempotencyInProgressException.class,
          () -> op.execute("k", () -> charge(new ChargeRequest("c", BigDecimal.ONE))));
      release.countDown();
      assertEquals("r-1", first.get(5, TimeUnit.SECONDS).id());
    } finally {
      pool.shutdownNow();
    }
  }

  /** A payload with no JSON properties. */
  static final class Opaque {}

  @Test
  void payloadWithoutJsonPropertiesIsADefinitionErrorNamingTheOperation() {
    IdempotentOperation<Receipt> op = engine.operation("payments.charge", Receipt.class).build();
    IdempotencyDefinitionException e =
        assertThrows(
            IdempotencyDefinitionException.class,
            () ->
                op.execute(
                    "k", new Opaque(), () -> charge(new ChargeRequest("c", BigDecimal.ONE))));
    assertTrue(
        e.getMessage()
            .startsWith(
                "operation 'payments.charge': the payload of type "
                    + Opaque.class.getName()
                    + " cannot be written as JSON for its fingerprint"),
        e.getMessage());
    assertEquals(0, charges.get());
  }

  @Test
  void payloadOfPlainValuesIsCheckedLikeAnyOther() {
    IdempotentOperation<Receipt> op = engine.operation("payments.plain", Receipt.class).build();
    op.execute(
        "k",
        new ChargeRequest("c-1", new BigDecimal("10.00")),
        () -> charge(new ChargeRequest("c-1", BigDecimal.TEN)));
    op.execute(
        "k",
        new ChargeRequest("c-1", new BigDecimal("10.00")),
        () -> charge(new ChargeRequest("c-1", BigDecimal.TEN)));
    assertEquals(1, charges.get());
    assertThrows(
        IdempotencyKeyReuseException.class,
        () ->
            op.execute(
                "k",
                new ChargeRequest("c-1", new BigDecimal("10.0")),
                () -> charge(new ChargeRequest("c-1", BigDecimal.TEN))));
  }

  @Test
  void blankNamespaceIsADefinitionError() {
    IdempotencyDefinitionException e =
        assertThrows(
            IdempotencyDefinitionException.class,
            () -> engine.operation(" ", Receipt.class).build());
    assertTrue(
        e.getMessage().contains("IdempotencyEngine.operation: the namespace must not be blank"));
  }

  @Test
  void nonPositiveTtlIsADefinitionError() {
    IdempotencyDefinitionException e =
        assertThrows(
            IdempotencyDefinitionException.class,
            () -> engine.operation("ops", Receipt.class).ttl(Duration.ZERO).build());
    assertTrue(
        e.getMessage().contains("operation 'ops': ttl must be positive, was PT0S"), e.getMessage());
  }
}
