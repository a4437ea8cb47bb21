package dev.idempotent.http.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RetryAfterTest {
  private static final Instant NOW = Instant.parse("1994-11-06T08:49:30Z");

  @Test
  void delaySecondsAreRead() {
    assertEquals(Duration.ofSeconds(120).toNanos(), RetryAfter.nanos("120", NOW));
    assertEquals(0, RetryAfter.nanos("0", NOW));
    assertEquals(Duration.ofSeconds(3).toNanos(), RetryAfter.nanos(" 3 ", NOW));
  }

  @Test
  void allThreeHttpDateFormsAreRead() {
    long sevenSeconds = Duration.ofSeconds(7).toNanos();
    assertEquals(sevenSeconds, RetryAfter.nanos("Sun, 06 Nov 1994 08:49:37 GMT", NOW));
    assertEquals(sevenSeconds, RetryAfter.nanos("Sunday, 06-Nov-94 08:49:37 GMT", NOW));
    assertEquals(sevenSeconds, RetryAfter.nanos("Sun Nov  6 08:49:37 1994", NOW));
  }

  @Test
  void dateInThePastMeansNoWait() {
    assertEquals(0, RetryAfter.nanos("Sun, 06 Nov 1994 08:00:00 GMT", NOW));
  }

  @Test
  void hugeDelayIsAsLongAsALongAllows() {
    assertEquals(Long.MAX_VALUE, RetryAfter.nanos("99999999999999999999", NOW));
  }

  @Test
  void absentOrUnreadableValueFallsBackToTheBackoff() {
    assertEquals(RetryAfter.NONE, RetryAfter.nanos(null, NOW));
    assertEquals(RetryAfter.NONE, RetryAfter.nanos("", NOW));
    assertEquals(RetryAfter.NONE, RetryAfter.nanos("-5", NOW));
    assertEquals(RetryAfter.NONE, RetryAfter.nanos("1.5", NOW));
    assertEquals(RetryAfter.NONE, RetryAfter.nanos("tomorrow", NOW));
  }
}
