package dev.idempotent.test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.idempotent.IdempotencyEngine;
import dev.idempotent.aspectj.IdempotentAspect;
import dev.idempotent.test.unwoven.UnwovenPayments;
import dev.idempotent.test.woven.WovenPayments;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * The tester as code without JUnit's extension uses it: create, assert, close. JUnit only runs the
 * method here; the assertions throw plain {@link AssertionError}s.
 */
@ResourceLock(IdempotencyExtension.ASPECT)
class WithoutExtensionTest {

  @Test
  void aTesterCreatedByHandWiresTheAspectUntilClosed() {
    IdempotencyEngine before = IdempotentAspect.engine();
    Gateway gateway = new Gateway();
    WovenPayments payments = new WovenPayments(gateway);
    try (IdempotencyTester idempotency = IdempotencyTester.create()) {
      assertSame(idempotency.engine(), IdempotentAspect.engine());
      idempotency.assertRetryReturnsSameResult(() -> payments.charge(ChargeRequest.of("k")));
      idempotency.assertRunsAgainAfterTtl(
          Duration.ofHours(1), () -> payments.charge(ChargeRequest.of("k2")));
      assertEquals(3, gateway.charges());
      assertTrue(idempotency.events().size() >= 5, idempotency.events().toString());
    }
    assertSame(before, IdempotentAspect.engine());
  }

  @Test
  void aFailedAssertionIsAPlainAssertionError() {
    UnwovenPayments payments = new UnwovenPayments(new Gateway());
    try (IdempotencyTester idempotency = IdempotencyTester.create()) {
      AssertionError e =
          assertThrows(
              AssertionError.class,
              () ->
                  idempotency.assertRetryReturnsSameResult(
                      () -> payments.charge(ChargeRequest.of("k"))));
      assertEquals(AssertionError.class, e.getClass());
    }
  }
}
