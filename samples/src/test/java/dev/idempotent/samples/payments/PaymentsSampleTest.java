package dev.idempotent.samples.payments;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PaymentsSampleTest {
  @Test
  void wovenServiceChargesEachPaymentExactlyOnce() throws Exception {
    assertTrue(
        PaymentService.class
            .getMethod("charge", ChargeRequest.class)
            .isAnnotationPresent(dev.idempotent.aspectj.WovenIdempotent.class),
        "PaymentService.charge is woven at compile time");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CardGateway gateway = new CardGateway();
    boolean ok =
        new PaymentStory(
                new PaymentService(gateway),
                gateway,
                new PrintStream(bytes, true, StandardCharsets.UTF_8))
            .tell();
    String story = bytes.toString(StandardCharsets.UTF_8);
    assertTrue(ok, story);
    assertTrue(story.contains("receipt ch_1 again, replayed"), story);
    assertTrue(story.contains("both got receipt ch_2"), story);
    assertTrue(story.contains("rejected: the key belongs to another request"), story);
    assertTrue(story.contains("Logical payments: 3. Real charges: 3."), story);
  }
}
