package dev.idempotent.samples.guice;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.Guice;
import com.google.inject.Injector;
import dev.idempotent.samples.payments.CardGateway;
import dev.idempotent.samples.payments.ChargeRequest;
import dev.idempotent.samples.payments.PaymentStory;
import dev.idempotent.samples.payments.Payments;
import dev.idempotent.test.GuiceInterception;
import dev.idempotent.test.IdempotencyExtension;
import dev.idempotent.test.IdempotencyTestModule;
import dev.idempotent.test.IdempotencyTester;
import dev.idempotent.test.IdempotentMethodsCheck;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Guice sample's service on the test's engine. The injector is the test's own and the aspect is
 * left alone, so this class may run in parallel with others.
 */
class GuicePaymentsSampleTest {
  @RegisterExtension
  static final IdempotencyExtension IDEMPOTENCY = IdempotencyExtension.with(t -> t.aspect(false));

  private final CardGateway gateway = new CardGateway();
  private final ChargeRequest order =
      new ChargeRequest("order-1001", "alice", new BigDecimal("42.00"), "EUR");
  private Injector injector;
  private Payments payments;

  @BeforeEach
  void createTheInjector(IdempotencyTester idempotency) {
    injector =
        Guice.createInjector(
            new GuicePaymentsSample.PaymentsModule(gateway),
            new IdempotencyTestModule(idempotency));
    payments = injector.getInstance(Payments.class);
  }

  @Test
  void guiceInterceptsEveryIdempotentMethodOfTheSample() {
    IdempotentMethodsCheck.inPackages("dev.idempotent.samples.guice")
        .assertWovenOrIntercepted(GuiceInterception.of(injector));
  }

  @Test
  void concurrentDuplicatesChargeOnce(IdempotencyTester idempotency) {
    idempotency.assertConcurrentCallersRunOnce(8, () -> payments.charge(order));
  }

  @Test
  void theStoryChargesEachPaymentExactlyOnce() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    boolean ok = new PaymentStory(payments, gateway, out).tell();
    String story = bytes.toString(StandardCharsets.UTF_8);
    assertTrue(ok, story);
    assertTrue(story.contains("Logical payments: 3. Real charges: 3."), story);
  }
}
