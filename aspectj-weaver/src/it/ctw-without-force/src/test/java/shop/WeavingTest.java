package shop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.idempotent.aspectj.IdempotentAspect;
import org.junit.jupiter.api.Test;

class WeavingTest {

  @Test
  void classesAreWoven() {
    IdempotentAspect.verifyWoven(Payments.class);
  }

  @Test
  void duplicateChargeDoesNotRunTheBody() {
    Payments payments = new Payments();
    payments.charge("order-1", 1250);
    payments.charge("order-1", 1250);
    assertEquals(1, payments.charges());
  }
}
