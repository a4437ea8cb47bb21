package dev.idempotent.samples.readme;

import dev.idempotent.samples.payments.CardGateway;
import dev.idempotent.samples.payments.ChargeRequest;
import dev.idempotent.samples.payments.PaymentService;
import dev.idempotent.test.IdempotencyExtension;
import dev.idempotent.test.IdempotencyTester;
import dev.idempotent.test.IdempotentMethodsCheck;
import java.math.BigDecimal;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.ResourceLock;

@ExtendWith(IdempotencyExtension.class) // a fresh engine and clock per test
@ResourceLock(IdempotencyExtension.ASPECT) // woven classes share one aspect per JVM
class PaymentServiceTest {
  CardGateway gateway = new CardGateway();
  PaymentService payments = new PaymentService(gateway); // woven by aspectj-maven-plugin
  ChargeRequest order = new ChargeRequest("order-1", "alice", new BigDecimal("42.00"), "EUR");

  @Test
  void everyIdempotentMethodIsWoven() {
    IdempotentMethodsCheck.inPackages("dev.idempotent.samples.payments").assertWoven();
  }

  @Test
  void aRetryGetsTheFirstReceipt(IdempotencyTester idempotency) {
    idempotency.assertRetryReturnsSameResult(() -> payments.charge(order));
  }

  @Test
  void concurrentDuplicatesChargeOnce(IdempotencyTester idempotency) {
    idempotency.assertConcurrentCallersRunOnce(8, () -> payments.charge(order));
  }

  @Test
  void rejectsAKeyReusedForAnotherAmount(IdempotencyTester idempotency) {
    ChargeRequest other = new ChargeRequest("order-1", "alice", new BigDecimal("99.00"), "EUR");
    idempotency.assertKeyReuseRejected(() -> payments.charge(order), () -> payments.charge(other));
  }

  @Test
  void aTimeoutIsRetried(IdempotencyTester idempotency) {
    gateway.timeOutNext(1);
    idempotency.assertFailureIsNotRecorded(() -> payments.charge(order));
  }

  @Test
  void aDayLaterTheKeyChargesAgain(IdempotencyTester idempotency) {
    idempotency.assertRunsAgainAfterTtl(Duration.ofHours(24), () -> payments.charge(order));
  }
}
