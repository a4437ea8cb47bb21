package dev.idempotent.spring.kit;

import dev.idempotent.test.IdempotencyExtension;
import dev.idempotent.test.IdempotencyTester;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * A broken fixture, run by {@link MisconfiguredSpringTestsTest} (not by Surefire): the extension on
 * a Spring test whose context lacks IdempotencyTestConfiguration.
 */
@SpringBootTest(classes = KitApplication.class)
@ExtendWith(IdempotencyExtension.class)
class WithoutWiringScenario {
  @Autowired Charges charges;

  @Test
  void retry(IdempotencyTester idempotency) {
    idempotency.assertRetryReturnsSameResult(() -> charges.charge("unwired", 1));
  }
}
