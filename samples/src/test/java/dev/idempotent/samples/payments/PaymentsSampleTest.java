package dev.idempotent.samples.payments;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.idempotent.test.IdempotencyExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * The sample's story as {@code PaymentsSample} tells it. Each property on its own, and the check
 * that the service is woven, are in {@code readme.PaymentServiceTest}, the README's example.
 */
@ExtendWith(IdempotencyExtension.class)
@ResourceLock(IdempotencyExtension.ASPECT)
class PaymentsSampleTest {
  @Test
  void theStoryChargesEachPaymentExactlyOnce() throws Exception {
    CardGateway gateway = new CardGateway();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    boolean ok = new PaymentStory(new PaymentService(gateway), gateway, out).tell();
    String story = bytes.toString(StandardCharsets.UTF_8);
    assertTrue(ok, story);
    assertTrue(story.contains("receipt ch_1 again, replayed"), story);
    assertTrue(story.contains("both got receipt ch_2"), story);
    assertTrue(story.contains("rejected: the key belongs to another request"), story);
    assertTrue(story.contains("Logical payments: 3. Real charges: 3."), story);
  }
}
