package dev.idempotent.test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.idempotent.IdempotencyEvent;
import dev.idempotent.test.unwoven.UnwovenPayments;
import dev.idempotent.test.woven.WovenPayments;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * Each assertion fails, with a message that names the cause, against a fixture that breaks the
 * property it checks.
 */
@ExtendWith(IdempotencyExtension.class)
@ResourceLock(IdempotencyExtension.ASPECT)
class ChecklistFailuresTest {
  private final Gateway gateway = new Gateway();
  private final WovenPayments woven = new WovenPayments(gateway);
  private final UnwovenPayments unwoven = new UnwovenPayments(gateway);

  @InjectIdempotency IdempotencyTester idempotency;

  @Test
  void anUnwovenMethodFailsTheRetryAssertionAsUnprotected() {
    String message =
        failure(() -> idempotency.assertRetryReturnsSameResult(() -> unwoven.charge(request())));
    assertContains(message, "2 calls ran, but none went through the test engine");
    assertContains(message, "IdempotentAspect is wired to this engine, so the method is not woven");
    assertEquals(2, gateway.charges(), "the unwoven body really ran twice");
  }

  @Test
  void aKeyUsedBeforeTheAssertionIsNamedAsTheCause() {
    woven.charge(request());
    String message =
        failure(() -> idempotency.assertRetryReturnsSameResult(() -> woven.charge(request())));
    assertContains(message, "the body ran 0 times");
    assertContains(message, "The key already had a record before this assertion");
  }

  @Test
  void anUnwovenMethodFailsTheConcurrencyAssertion() {
    String message =
        failure(
            () -> idempotency.assertConcurrentCallersRunOnce(8, () -> unwoven.charge(request())));
    assertContains(message, "8 calls ran, but none went through the test engine");
  }

  @Test
  void aKeyThatChangesOnEveryCallFailsTheRetryAssertionNamingBothKeys() {
    String message =
        failure(
            () ->
                idempotency.assertRetryReturnsSameResult(
                    () -> woven.chargeWithNonce(request(), new WovenPayments.Nonce())));
    assertContains(message, "the body ran 2 times for a call and its retry; it must run once");
    assertContains(message, "The calls used different keys");
    assertContains(message, "the key expression reads something that changes between calls");
    assertContains(message, "EXECUTED dev.idempotent.test.woven.WovenPayments.chargeWithNonce(");
  }

  @Test
  void aKeyThatChangesOnEveryCallFailsTheConcurrencyAssertion() {
    String message =
        failure(
            () ->
                idempotency.assertConcurrentCallersRunOnce(
                    6, () -> woven.chargeWithNonce(request(), new WovenPayments.Nonce())));
    assertContains(message, "the body ran 6 times for 6 concurrent callers with one key");
  }

  @Test
  void rejectedDuplicatesFailTheConcurrencyAssertion() {
    idempotency.close();
    CountDownLatch aDuplicateWasRejected = new CountDownLatch(1);
    gateway.holdChargesUntil(aDuplicateWasRejected);
    try (IdempotencyTester tester =
        IdempotencyTester.builder()
            .engine(
                e ->
                    e.listener(
                        event -> {
                          if (event.type() == IdempotencyEvent.Type.REJECTED) {
                            aDuplicateWasRejected.countDown();
                          }
                        }))
            .build()) {
      String message =
          failure(
              () ->
                  tester.assertConcurrentCallersRunOnce(
                      8, () -> woven.chargeRejectingDuplicates(request())));
      assertContains(message, "rejected with IdempotencyInProgressException");
      assertContains(message, "onInFlight is REJECT");
    }
  }

  @Test
  void aResultThatCannotBeDecodedFailsTheRetryInTheUnitTest() {
    String message =
        failure(
            () -> idempotency.assertRetryReturnsSameResult(() -> woven.chargeOpaquely(request())));
    assertContains(message, "the retry failed in the store");
    assertContains(message, "OpaqueReceipt");
    assertContains(message, "would fail the same way in production");
  }

  @Test
  void aResultWithoutEqualsFailsTheRetryAssertionNamingTheCodec() {
    String message =
        failure(
            () ->
                idempotency.assertRetryReturnsSameResult(
                    () -> woven.chargeForAPlainReceipt(request())));
    assertContains(message, "the retry returned <PlainReceipt[ch_1]> but the first call returned");
    assertContains(message, "give the result type equals");
    idempotency.assertRetryReturnsSameResult(
        () -> woven.chargeForAPlainReceipt(ChargeRequest.of("other")), (a, b) -> a.id.equals(b.id));
  }

  @Test
  void aResultThatCannotBeWrittenFailsTheFirstCallInTheUnitTest() {
    String message =
        failure(
            () ->
                idempotency.assertRetryReturnsSameResult(() -> woven.chargeForAHandle(request())));
    assertContains(message, "the first call was refused by the engine");
    assertContains(message, "has no properties Jackson can write");
    assertContains(message, "would be refused the same way in production");
  }

  @Test
  void aResultThatCannotBeDecodedPassesWithoutSerializing() {
    idempotency.close();
    try (IdempotencyTester inMemory = IdempotencyTester.builder().serializing(false).build()) {
      inMemory.assertRetryReturnsSameResult(() -> woven.chargeOpaquely(request()));
    }
    assertEquals(1, gateway.charges());
  }

  @Test
  void aFingerprintThatIgnoresTheAmountFailsTheKeyReuseAssertionAsReplayed() {
    String message =
        failure(
            () ->
                idempotency.assertKeyReuseRejected(
                    () -> woven.chargeUnchecked(request()),
                    () -> woven.chargeUnchecked(request().withAmount("99.00"))));
    assertContains(message, "instead of throwing IdempotencyKeyReuseException");
    assertContains(message, "It was replayed the first call's result");
    assertContains(message, "validatePayload = false");
  }

  @Test
  void aKeyThatCoversTheChangedArgumentFailsTheKeyReuseAssertionAsAnotherKey() {
    String message =
        failure(
            () ->
                idempotency.assertKeyReuseRejected(
                    () -> woven.charge(ChargeRequest.of("a")),
                    () -> woven.charge(ChargeRequest.of("b"))));
    assertContains(message, "The two calls have different keys");
  }

  @Test
  void aTtlShorterThanClaimedFailsTheTtlAssertion() {
    String message =
        failure(
            () ->
                idempotency.assertRunsAgainAfterTtl(
                    Duration.ofHours(1), () -> woven.chargeForAMinute(request())));
    assertContains(message, "within the ttl of PT1H");
    assertContains(message, "the method's ttl is shorter than PT1H");
  }

  @Test
  void aTtlLongerThanClaimedFailsTheTtlAssertion() {
    String message =
        failure(
            () ->
                idempotency.assertRunsAgainAfterTtl(
                    Duration.ofSeconds(30), () -> woven.charge(request())));
    assertContains(message, "was replayed instead of running the body again");
    assertContains(message, "the method's ttl is longer than PT30S");
  }

  @Test
  void aRecordedTimeoutFailsTheUnrecordedFailureAssertion() {
    gateway.failNext(1);
    String message =
        failure(
            () ->
                idempotency.assertFailureIsNotRecorded(
                    () -> woven.chargeRecordingTimeouts(request())));
    assertContains(message, "the failure was recorded and replayed");
    assertContains(message, "remove dev.idempotent.test.Gateway$GatewayTimeout from it");
  }

  @Test
  void aFirstCallThatSucceedsFailsTheUnrecordedFailureAssertion() {
    String message =
        failure(() -> idempotency.assertFailureIsNotRecorded(() -> woven.charge(request())));
    assertContains(message, "needs a first call that throws");
  }

  @Test
  void anUnrecordedExceptionFailsTheReplayAssertion() {
    gateway.failNext(2);
    String message =
        failure(
            () ->
                idempotency.assertExceptionReplayed(
                    Gateway.GatewayTimeout.class, () -> woven.charge(request())));
    assertContains(message, "the retry ran the body again");
    assertContains(
        message, "add dev.idempotent.test.Gateway$GatewayTimeout to the method's recordExceptions");
  }

  @Test
  void anUnrecordedExceptionFollowedBySuccessFailsTheReplayAssertion() {
    gateway.failNext(1);
    String message =
        failure(
            () ->
                idempotency.assertExceptionReplayed(
                    Gateway.GatewayTimeout.class, () -> woven.charge(request())));
    assertContains(message, "the retry returned <Receipt[id=ch_1");
  }

  private static ChargeRequest request() {
    return ChargeRequest.of("order-7");
  }

  private static String failure(Executable assertion) {
    return assertThrows(AssertionError.class, assertion).getMessage();
  }

  private static void assertContains(String message, String part) {
    assertTrue(message.contains(part), () -> "expected <" + part + "> in:\n" + message);
  }
}
