package dev.idempotent.rules;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the duration attributes of {@code @Idempotent}: {@code "24h"}, {@code "PT24H"}. */
public final class Durations {
  private static final Pattern SHORT = Pattern.compile("(\\d+)(ms|s|m|h|d)");

  /** What a duration attribute accepts, for messages. */
  public static final String ACCEPTED =
      "a positive whole number with a unit (ms, s, m, h, d), such as \"500ms\", \"10s\", \"30m\","
          + " \"24h\", \"7d\", or an ISO-8601 duration such as \"PT24H\"";

  private Durations() {}

  /**
   * Parses a duration attribute.
   *
   * @param text the attribute's value, not empty
   * @return the duration, positive
   * @throws IllegalArgumentException with a sentence saying what is wrong and what is accepted
   */
  public static Duration parse(String text) {
    String trimmed = text.trim();
    Duration duration;
    Matcher m = SHORT.matcher(trimmed);
    if (m.matches()) {
      long amount;
      try {
        amount = Long.parseLong(m.group(1));
      } catch (NumberFormatException tooBig) {
        throw new IllegalArgumentException("the number is too large; expected " + ACCEPTED);
      }
      duration = of(amount, m.group(2));
    } else if (trimmed.startsWith("P") || trimmed.startsWith("p") || trimmed.startsWith("-P")) {
      try {
        duration = Duration.parse(trimmed);
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException("not a valid ISO-8601 duration; expected " + ACCEPTED);
      }
    } else {
      throw new IllegalArgumentException("not a duration; expected " + ACCEPTED);
    }
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException("the duration must be positive; expected " + ACCEPTED);
    }
    return duration;
  }

  private static Duration of(long amount, String unit) {
    try {
      switch (unit) {
        case "ms":
          return Duration.ofMillis(amount);
        case "s":
          return Duration.ofSeconds(amount);
        case "m":
          return Duration.ofMinutes(amount);
        case "h":
          return Duration.ofHours(amount);
        default:
          return Duration.ofDays(amount);
      }
    } catch (ArithmeticException tooBig) {
      throw new IllegalArgumentException("the duration is too large; expected " + ACCEPTED);
    }
  }

  /** A duration as a user would write it in the annotation, for messages. */
  public static String format(Duration d) {
    if (d.toMillisPart() != 0 || d.toNanosPart() % 1_000_000 != 0) {
      return d.toMillis() + "ms";
    }
    long s = d.getSeconds();
    if (s % 86_400 == 0) {
      return s / 86_400 + "d";
    }
    if (s % 3600 == 0) {
      return s / 3600 + "h";
    }
    if (s % 60 == 0) {
      return s / 60 + "m";
    }
    return s + "s";
  }
}
