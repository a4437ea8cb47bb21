package dev.idempotent.http.client;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.List;
import java.util.Locale;

/**
 * Reads a {@code Retry-After} header (RFC 9110, section 10.2.3): delay-seconds, or an HTTP-date in
 * any of the three forms a recipient must accept.
 */
final class RetryAfter {
  /** Returned when the header is absent or cannot be read: fall back to the backoff. */
  static final long NONE = -1;

  private static final List<DateTimeFormatter> HTTP_DATES =
      List.of(
          // IMF-fixdate: Sun, 06 Nov 1994 08:49:37 GMT
          DateTimeFormatter.RFC_1123_DATE_TIME,
          // obsolete RFC 850: Sunday, 06-Nov-94 08:49:37 GMT
          new DateTimeFormatterBuilder()
              .appendPattern("EEEE, dd-MMM-")
              .appendValueReduced(ChronoField.YEAR, 2, 2, 1970)
              .appendPattern(" HH:mm:ss zzz")
              .toFormatter(Locale.US),
          // obsolete asctime: Sun Nov  6 08:49:37 1994 (always GMT)
          DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.US)
              .withZone(java.time.ZoneOffset.UTC));

  private RetryAfter() {}

  /**
   * The wait the header asks for.
   *
   * @param value the header's value, or null when absent
   * @param now the wall clock, for a date
   * @return nanoseconds to wait (0 for a date in the past), or {@link #NONE}
   */
  static long nanos(String value, Instant now) {
    if (value == null) {
      return NONE;
    }
    String trimmed = value.trim();
    if (trimmed.isEmpty()) {
      return NONE;
    }
    if (trimmed.chars().allMatch(c -> c >= '0' && c <= '9')) {
      // More digits than a long's seconds can hold in nanoseconds: as long as a long allows.
      if (trimmed.length() > 9) {
        return Long.MAX_VALUE;
      }
      return Duration.ofSeconds(Long.parseLong(trimmed)).toNanos();
    }
    for (DateTimeFormatter format : HTTP_DATES) {
      try {
        Instant date = ZonedDateTime.parse(trimmed, format).toInstant();
        Duration wait = Duration.between(now, date);
        return wait.isNegative() ? 0 : saturatedNanos(wait);
      } catch (DateTimeParseException notThisForm) {
        // try the next form
      }
    }
    return NONE;
  }

  private static long saturatedNanos(Duration duration) {
    try {
      return duration.toNanos();
    } catch (ArithmeticException tooLong) {
      return Long.MAX_VALUE;
    }
  }
}
