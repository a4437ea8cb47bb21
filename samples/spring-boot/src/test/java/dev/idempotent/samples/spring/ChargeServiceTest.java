package dev.idempotent.samples.spring;

import dev.idempotent.test.IdempotencyExtension;
import dev.idempotent.test.IdempotencyTestConfiguration;
import dev.idempotent.test.IdempotencyTester;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;

// Spring starts the application once; each test still gets a fresh engine, store and clock.
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
@Import(IdempotencyTestConfiguration.class) // @Idempotent beans run on the test's engine
@ExtendWith(IdempotencyExtension.class) // a fresh engine, store and clock per test
class ChargeServiceTest {
  @Autowired ChargeService charges; // the starter's proxy
  @Autowired FlakyGateway gateway;
  ChargeRequest order = new ChargeRequest("tok_visa", 1250);

  @Test
  void aRetryGetsTheFirstReceipt(IdempotencyTester idempotency) {
    idempotency.assertRetryReturnsSameResult(() -> charges.charge("order-1", order));
  }

  @Test
  void concurrentDuplicatesChargeOnce(IdempotencyTester idempotency) {
    idempotency.assertConcurrentCallersRunOnce(8, () -> charges.charge("order-1", order));
  }

  @Test
  void rejectsAKeyReusedForAnotherAmount(IdempotencyTester idempotency) {
    ChargeRequest other = new ChargeRequest("tok_visa", 9999);
    idempotency.assertKeyReuseRejected(
        () -> charges.charge("order-1", order), () -> charges.charge("order-1", other));
  }

  @Test
  void aTimeoutIsRetried(IdempotencyTester idempotency) {
    gateway.timeOutNext(1);
    idempotency.assertFailureIsNotRecorded(() -> charges.charge("order-1", order));
  }

  @Test
  void aDayLaterTheKeyChargesAgain(IdempotencyTester idempotency) {
    idempotency.assertRunsAgainAfterTtl(
        Duration.ofHours(24), () -> charges.charge("order-1", order));
  }

  /** The card network for these tests: times out when told to. */
  @TestConfiguration
  static class Gateway {
    @Bean
    @Primary
    FlakyGateway flakyGateway() {
      return new FlakyGateway();
    }
  }

  static class FlakyGateway extends SimulatedCardGateway {
    private final AtomicInteger timeOuts = new AtomicInteger();

    void timeOutNext(int n) {
      timeOuts.set(n);
    }

    @Override
    public String charge(ChargeRequest request) {
      if (timeOuts.getAndDecrement() > 0) {
        throw new IllegalStateException("card network timed out");
      }
      return super.charge(request);
    }
  }
}
