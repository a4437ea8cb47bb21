package dev.idempotent.samples.guice;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.Guice;
import dev.idempotent.samples.payments.CardGateway;
import dev.idempotent.samples.payments.ChargeRequest;
import dev.idempotent.samples.payments.PaymentStory;
import dev.idempotent.samples.payments.Payments;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class GuicePaymentsSampleTest {
  @Test
  void guiceInterceptedServiceChargesEachPaymentExactlyOnce() throws Exception {
    assertFalse(
        GuicePaymentService.class
            .getMethod("charge", ChargeRequest.class)
            .isAnnotationPresent(dev.idempotent.aspectj.WovenIdempotent.class),
        "the Guice sample's service is left to Guice, not woven");
    CardGateway gateway = new CardGateway();
    Payments payments =
        Guice.createInjector(new GuicePaymentsSample.PaymentsModule(gateway))
            .getInstance(Payments.class);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    boolean ok =
        new PaymentStory(payments, gateway, new PrintStream(bytes, true, StandardCharsets.UTF_8))
            .tell();
    String story = bytes.toString(StandardCharsets.UTF_8);
    assertTrue(ok, story);
    assertTrue(story.contains("Logical payments: 3. Real charges: 3."), story);
  }
}
