package dev.idempotent.test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.idempotent.IdempotencyEngine;
import dev.idempotent.aspectj.IdempotentAspect;
import dev.idempotent.test.woven.WovenPayments;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.ResourceLock;

/** What the extension gives each test, and what it puts back after. */
@ExtendWith(IdempotencyExtension.class)
@ResourceLock(IdempotencyExtension.ASPECT)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ExtensionTest {
  private static final Gateway GATEWAY = new Gateway();
  private static final WovenPayments PAYMENTS = new WovenPayments(GATEWAY);
  private static IdempotencyEngine before;
  private static IdempotencyEngine firstTestsEngine;

  @InjectIdempotency IdempotencyTester tester;
  @InjectIdempotency IdempotencyEngine engine;
  @InjectIdempotency FakeTicker clock;

  @BeforeAll
  static void rememberTheAspectsEngine() {
    before = IdempotentAspect.engine();
  }

  @AfterAll
  static void theAspectHasItsEngineBackAfterTheClass() {
    assertSame(before, IdempotentAspect.engine());
  }

  @Test
  @Order(1)
  void fieldsAndParametersReceiveOneTestersParts(
      IdempotencyTester param, IdempotencyEngine engineParam, FakeTicker clockParam) {
    assertSame(tester, param);
    assertSame(tester.engine(), engine);
    assertSame(engine, engineParam);
    assertSame(tester.ticker(), clock);
    assertSame(clock, clockParam);
    assertSame(engine, IdempotentAspect.engine(), "the aspect runs on the test's engine");
    firstTestsEngine = engine;
    assertEquals("ch_1", PAYMENTS.charge(ChargeRequest.of("k")).id());
  }

  @Test
  @Order(2)
  void theNextTestHasAFreshEngineWithoutThePreviousRecords() {
    assertNotSame(firstTestsEngine, engine);
    assertSame(engine, IdempotentAspect.engine());
    assertEquals("ch_2", PAYMENTS.charge(ChargeRequest.of("k")).id(), "the key is new here");
  }

  @Test
  @Order(3)
  void theClockMovesOnlyWhenAdvanced() {
    long start = clock.read();
    assertEquals(start, clock.read());
    tester.advance(Duration.ofHours(3));
    assertEquals(start + Duration.ofHours(3).toNanos(), clock.read());
    assertThrows(IllegalArgumentException.class, () -> clock.advance(Duration.ofSeconds(-1)));
  }

  @Test
  @Order(4)
  void aSecondTesterCannotTakeTheAspectWhileOneHoldsIt() {
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class, () -> IdempotencyTester.builder().name("other").build());
    assertTrue(e.getMessage().contains("IdempotencyTester 'other' cannot wire IdempotentAspect"));
    assertTrue(e.getMessage().contains("aSecondTesterCannotTakeTheAspectWhileOneHoldsIt"));
    assertTrue(e.getMessage().contains("@ResourceLock(IdempotencyExtension.ASPECT)"));
    assertSame(engine, IdempotentAspect.engine(), "the failed tester changed nothing");
  }

  @Test
  @Order(5)
  void aTesterWithoutTheAspectLeavesItAlone() {
    try (IdempotencyTester other = IdempotencyTester.builder().aspect(false).build()) {
      assertSame(engine, IdempotentAspect.engine());
      assertNotSame(engine, other.engine());
    }
    assertSame(engine, IdempotentAspect.engine());
  }

  @Test
  @Order(6)
  void closingGivesTheAspectItsPreviousEngineBackAndClosesTheEngine() {
    tester.close();
    assertSame(before, IdempotentAspect.engine());
    assertTrue(engine.isClosed());
    tester.close();
    assertSame(before, IdempotentAspect.engine(), "closing twice is harmless");
    try (IdempotencyTester next = IdempotencyTester.create()) {
      assertSame(next.engine(), IdempotentAspect.engine());
    }
    assertSame(before, IdempotentAspect.engine());
  }
}
