package shop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.idempotent.IdempotencyEngine;
import dev.idempotent.aspectj.IdempotentAspect;
import org.junit.jupiter.api.Test;

class PaymentsTest {

  @Test
  void classesAreWoven() {
    IdempotentAspect.verifyWoven(Payments.class);
  }

  @Test
  void duplicateChargeDoesNotRunTheBody() {
    Payments payments = new Payments();
    String first = payments.charge("order-1", 1250);
    String second = payments.charge("order-1", 1250);
    assertEquals(first, second);
    assertEquals(1, payments.charges());
    System.out.println(
        "CTW consumer: 2 calls with one key ran the body " + payments.charges() + " time");
  }

  @Test
  void anotherKeyRunsAgain() {
    Payments payments = new Payments();
    assertNotEquals(payments.charge("order-2", 1), payments.charge("order-3", 1));
    assertEquals(2, payments.charges());
  }

  @Test
  void privateMethodIsWovenToo() {
    Payments payments = new Payments();
    payments.refund("order-4");
    payments.refund("order-4");
    assertEquals(-1, payments.charges());
  }

  @Test
  void configuredEngineIsUsed() {
    IdempotencyEngine engine = IdempotencyEngine.builder().build();
    try (IdempotentAspect.Registration registration = IdempotentAspect.configure(engine)) {
      Payments payments = new Payments();
      payments.charge("order-5", 1);
      payments.charge("order-5", 1);
      assertEquals(1, payments.charges());
      assertEquals(engine, IdempotentAspect.engine());
    }
  }
}
