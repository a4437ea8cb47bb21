package dev.idempotent.spring.kit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.idempotent.IdempotencyEngine;
import dev.idempotent.IdempotencyEvent;
import dev.idempotent.IdempotencyKeyReuseException;
import dev.idempotent.aspectj.IdempotentAspect;
import dev.idempotent.spring.woven.WovenLedger;
import dev.idempotent.test.FakeTicker;
import dev.idempotent.test.IdempotencyExtension;
import dev.idempotent.test.IdempotencyTestConfiguration;
import dev.idempotent.test.IdempotencyTester;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Import;

/**
 * The test kit in a cached Spring Boot test context: every test gets a fresh engine, store and
 * clock although Spring starts the context once and reuses it, and each checklist assertion works
 * on a proxied bean.
 */
@SpringBootTest(classes = KitApplication.class)
@Import(IdempotencyTestConfiguration.class)
@ExtendWith(IdempotencyExtension.class)
@ResourceLock(IdempotencyExtension.SPRING)
@ResourceLock(IdempotencyExtension.ASPECT)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SpringContextWiringTest {
  /** Where every fresh clock starts. */
  private static final long START = new FakeTicker().read();

  private static ApplicationContext firstContext;
  private static IdempotencyEngine firstEngine;

  @Autowired ApplicationContext context;
  @Autowired Charges charges;
  @Autowired WovenLedger ledger;
  @Autowired IdempotencyEngine contextEngine;

  @Test
  @Order(1)
  void firstTestRecordsAKeyAndMovesItsClock(IdempotencyTester idempotency) {
    firstContext = context;
    firstEngine = idempotency.engine();
    charges.charge("order-shared", 100);
    idempotency.assertRunsAgainAfterTtl(Duration.ofHours(1), () -> charges.charge("order-1", 1));
    assertThat(idempotency.ticker().read() - START)
        .isGreaterThanOrEqualTo(Duration.ofHours(1).toNanos());
    assertThat(types(idempotency)).first().isEqualTo(IdempotencyEvent.Type.EXECUTED);
  }

  @Test
  @Order(2)
  void secondTestOnTheSameContextStartsFromNothing(IdempotencyTester idempotency) {
    assertThat(context).isSameAs(firstContext);
    assertThat(idempotency.engine()).isNotSameAs(firstEngine);
    assertThat(idempotency.ticker().read()).isEqualTo(START);
    charges.charge("order-shared", 100);
    assertThat(types(idempotency)).containsExactly(IdempotencyEvent.Type.EXECUTED);
    idempotency.assertRunsAgainAfterTtl(Duration.ofHours(1), () -> charges.charge("order-2", 2));
  }

  @Test
  void theContextKeepsItsOwnEngineForWhatHoldsItDirectly(IdempotencyTester idempotency) {
    assertThat(contextEngine).isNotSameAs(idempotency.engine());
    charges.charge("order-3", 3);
    assertThat(idempotency.events()).hasSize(1);
  }

  @Test
  void aRetryIsReplayed(IdempotencyTester idempotency) {
    String receipt = idempotency.assertRetryReturnsSameResult(() -> charges.charge("r-1", 10));
    assertThat(receipt).endsWith("10 for r-1");
  }

  @Test
  void concurrentDuplicatesChargeOnce(IdempotencyTester idempotency) {
    idempotency.assertConcurrentCallersRunOnce(8, () -> charges.charge("c-1", 20));
  }

  @Test
  void aKeyReusedForAnotherAmountIsRejected(IdempotencyTester idempotency) {
    IdempotencyKeyReuseException e =
        idempotency.assertKeyReuseRejected(
            () -> charges.charge("k-1", 30), () -> charges.charge("k-1", 31));
    assertThat(e).isNotNull();
  }

  @Test
  void aTimeoutIsNotRecorded(IdempotencyTester idempotency) {
    charges.timeOutNext(1);
    assertThat(idempotency.assertFailureIsNotRecorded(() -> charges.chargeOrTimeOut("t-1")))
        .endsWith("for t-1");
  }

  @Test
  void aDeclineIsReplayed(IdempotencyTester idempotency) {
    Charges.CardDeclined replayed =
        idempotency.assertExceptionReplayed(
            Charges.CardDeclined.class, () -> charges.decline("d-1"));
    assertThat(replayed).hasMessage("card declined for d-1");
  }

  @Test
  void wovenBeansOfTheContextRunOnTheTestsEngine(IdempotencyTester idempotency) {
    assertThat(IdempotentAspect.engine()).isSameAs(idempotency.engine());
    idempotency.assertRetryReturnsSameResult(() -> ledger.post("entry-1"));
  }

  @Test
  void aMethodCalledThroughThisFailsTheAssertionWithTheCause(IdempotencyTester idempotency) {
    AssertionError e =
        assertThrows(
            AssertionError.class,
            () ->
                idempotency.assertRetryReturnsSameResult(
                    () -> charges.chargeThroughThis("this-1", 40)));
    assertThat(e).hasMessageContaining("none went through the test engine");
  }

  @Test
  void theClockIsTheTestsOwn(IdempotencyTester idempotency, FakeTicker ticker) {
    charges.charge("clock-1", 50);
    ticker.advance(Duration.ofMinutes(59));
    charges.charge("clock-1", 50);
    ticker.advance(Duration.ofMinutes(1).plus(IdempotencyTester.TTL_SLACK));
    charges.charge("clock-1", 50);
    assertThat(types(idempotency))
        .containsExactly(
            IdempotencyEvent.Type.EXECUTED,
            IdempotencyEvent.Type.REPLAYED,
            IdempotencyEvent.Type.EXECUTED);
  }

  private static List<IdempotencyEvent.Type> types(IdempotencyTester idempotency) {
    return idempotency.events().stream().map(IdempotencyEvent::type).toList();
  }
}
