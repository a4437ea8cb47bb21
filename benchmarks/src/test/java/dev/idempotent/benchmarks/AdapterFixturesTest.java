package dev.idempotent.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.idempotent.IdempotencyEngine;
import dev.idempotent.IdempotencyEvent;
import dev.idempotent.IdempotencyKeyReuseException;
import dev.idempotent.Idempotent;
import dev.idempotent.aspectj.IdempotentAspect;
import dev.idempotent.aspectj.WovenIdempotent;
import java.lang.reflect.Method;
import java.math.BigDecimal;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The benchmarks' adapter fixtures are what their names say: the woven class is woven by ajc (and
 * replays duplicates through the aspect), the Guice one is not woven and is intercepted by Guice.
 */
class AdapterFixturesTest {

  @Test
  void everyIdempotentMethodOfTheWovenFixturesCarriesTheAspectsMark() {
    assertEquals(2, checkedWovenMethods(WovenOrderService.class));
    assertEquals(4, checkedWovenMethods(WovenChargeService.class));
    WovenOrderService.requireWoven();
    WovenChargeService.requireWoven();
  }

  @Test
  void wovenDuplicateGetsTheFirstCallsReceiptFromTheConfiguredEngine() {
    AtomicInteger executed = new AtomicInteger();
    IdempotentAspect.configure(countingExecutions(executed));
    WovenOrderService service = new WovenOrderService();
    PlaceOrder cmd = PlaceOrder.withId("order-woven-1");
    Receipt first = service.place(cmd);
    assertSame(first, service.place(cmd));
    assertEquals(1, executed.get());
  }

  @Test
  void wovenNestedRequestDuplicateReplaysAndADifferentPayloadUnderItsKeyIsRefused() {
    AtomicInteger executed = new AtomicInteger();
    IdempotentAspect.configure(countingExecutions(executed));
    WovenChargeService service = new WovenChargeService();
    Receipt first = service.chargeChecked(ChargeRequest.numbered("charge-woven", 1));
    assertSame(first, service.chargeChecked(ChargeRequest.numbered("charge-woven", 1)));
    assertEquals(1, executed.get());
    ChargeRequest changed = ChargeRequest.numbered("charge-woven", 1);
    ChargeRequest dearer =
        new ChargeRequest(
            changed.id(), changed.customer(), new BigDecimal("99.90"), changed.currency());
    assertThrows(IdempotencyKeyReuseException.class, () -> service.chargeChecked(dearer));
  }

  @Test
  void argumentSizeRequestsComeNearTheirTargetCanonicalSize() {
    for (int size : new int[] {1000, 10000}) {
      for (String benchmark : new String[] {"wovenFlat", "wovenList"}) {
        int bytes = ArgumentSizeBenchmark.canonicalBytes(benchmark, size);
        assertTrue(Math.abs(bytes - size) < size / 10, benchmark + " at " + size + ": " + bytes);
      }
    }
  }

  @Test
  void guiceFixtureIsUnwovenAndInterceptedByGuice() throws Exception {
    assertFalse(
        GuiceOrderService.class
            .getMethod("place", PlaceOrder.class)
            .isAnnotationPresent(WovenIdempotent.class));
    GuiceOrderService service = GuiceOrderService.create(IdempotencyEngine.builder().build());
    assertNotSame(GuiceOrderService.class, service.getClass());
    PlaceOrder cmd = PlaceOrder.withId("order-guice-1");
    assertSame(service.place(cmd), service.place(cmd));
  }

  /** Asserts that each {@code @Idempotent} method of {@code fixture} is woven; counts them. */
  private static int checkedWovenMethods(Class<?> fixture) {
    int idempotent = 0;
    for (Method method : fixture.getDeclaredMethods()) {
      if (method.isAnnotationPresent(Idempotent.class)) {
        idempotent++;
        assertTrue(method.isAnnotationPresent(WovenIdempotent.class), method.toString());
      }
    }
    return idempotent;
  }

  /** An engine that counts the calls whose body ran. */
  private static IdempotencyEngine countingExecutions(AtomicInteger executed) {
    return IdempotencyEngine.builder()
        .listener(
            event -> {
              if (event.type() == IdempotencyEvent.Type.EXECUTED) {
                executed.incrementAndGet();
              }
            })
        .build();
  }
}
