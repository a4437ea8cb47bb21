package dev.idempotent.test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.Guice;
import dev.idempotent.IdempotencyEngine;
import dev.idempotent.IdempotentOperation;
import dev.idempotent.test.guice.GuicePayments;
import dev.idempotent.test.woven.WovenPayments;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.ResourceLock;

/** Each assertion passes for a method that has the property, through each adapter. */
@ExtendWith(IdempotencyExtension.class)
@ResourceLock(IdempotencyExtension.ASPECT)
class ChecklistPassesTest {
  private final Gateway gateway = new Gateway();
  private final WovenPayments woven = new WovenPayments(gateway);

  @Test
  void aWovenRetryReturnsTheFirstReceiptAndChargesOnce(IdempotencyTester idempotency) {
    Receipt receipt =
        idempotency.assertRetryReturnsSameResult(() -> woven.charge(ChargeRequest.of("k-1")));
    assertEquals("ch_1", receipt.id());
    assertEquals(1, gateway.charges());
  }

  @Test
  void concurrentWovenCallersChargeOnceAndShareTheReceipt(IdempotencyTester idempotency) {
    Receipt receipt =
        idempotency.assertConcurrentCallersRunOnce(16, () -> woven.charge(ChargeRequest.of("k")));
    assertEquals("ch_1", receipt.id());
    assertEquals(1, gateway.charges());
  }

  @Test
  void aReusedKeyWithAnotherAmountIsRejected(IdempotencyTester idempotency) {
    ChargeRequest request = ChargeRequest.of("k");
    var rejected =
        idempotency.assertKeyReuseRejected(
            () -> woven.charge(request), () -> woven.charge(request.withAmount("99.00")));
    assertTrue(rejected.getMessage().contains("charge"), rejected.getMessage());
    assertEquals(1, gateway.charges());
  }

  @Test
  void afterTheTtlTheBodyRunsAgain(IdempotencyTester idempotency) {
    Receipt after =
        idempotency.assertRunsAgainAfterTtl(
            Duration.ofHours(1), () -> woven.charge(ChargeRequest.of("k")));
    assertEquals("ch_2", after.id());
  }

  @Test
  void aTimeoutIsNotRecordedSoTheRetryCharges(IdempotencyTester idempotency) {
    gateway.failNext(1);
    Receipt retry =
        idempotency.assertFailureIsNotRecorded(() -> woven.charge(ChargeRequest.of("k")));
    assertEquals("ch_1", retry.id());
  }

  @Test
  void aRecordedDeclineIsReplayed(IdempotencyTester idempotency) {
    Gateway.Declined replayed =
        idempotency.assertExceptionReplayed(
            Gateway.Declined.class, () -> woven.chargeOrDecline(ChargeRequest.of("k")));
    assertEquals("card declined for alice", replayed.getMessage());
    assertEquals(1, gateway.charges());
  }

  @Test
  void guiceInterceptedMethodsRunOnTheTestEngine(IdempotencyTester idempotency) {
    GuicePayments payments =
        Guice.createInjector(
                binder -> binder.bind(Gateway.class).toInstance(gateway),
                new IdempotencyTestModule(idempotency))
            .getInstance(GuicePayments.class);
    idempotency.assertRetryReturnsSameResult(() -> payments.charge(ChargeRequest.of("k")));
    idempotency.assertConcurrentCallersRunOnce(8, () -> payments.charge(ChargeRequest.of("k2")));
    assertEquals(2, gateway.charges());
  }

  @Test
  void programmaticOperationsRunOnTheTestEngine(
      IdempotencyTester idempotency, IdempotencyEngine engine, FakeTicker clock) {
    IdempotentOperation<Receipt> charge =
        engine.operation("charges", Receipt.class).ttl(Duration.ofMinutes(5)).build();
    ChargeRequest request = ChargeRequest.of("k");
    idempotency.assertRetryReturnsSameResult(
        () -> charge.execute("k", request, () -> gateway.charge(request)));
    clock.advance(Duration.ofMinutes(5).plus(IdempotencyTester.TTL_SLACK).plusMillis(1));
    assertEquals("ch_2", charge.execute("k", request, () -> gateway.charge(request)).id());
    idempotency.assertKeyReuseRejected(
        () -> charge.execute("k2", request, () -> gateway.charge(request)),
        () -> charge.execute("k2", request.withAmount("1.00"), () -> gateway.charge(request)));
  }
}
