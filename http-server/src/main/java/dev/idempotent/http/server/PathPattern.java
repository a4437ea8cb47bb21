package dev.idempotent.http.server;

import java.util.Arrays;

/**
 * A route's path pattern: literal segments, {@code *} or {@code {name}} for exactly one segment,
 * and a final {@code **} for any number of segments (none included). Matching compares raw,
 * percent-encoded segments. Immutable.
 */
final class PathPattern {
  private static final String ONE = "*";
  private final String text;
  private final String[] segments;
  private final boolean anyRest;

  private PathPattern(String text, String[] segments, boolean anyRest) {
    this.text = text;
    this.segments = segments;
    this.anyRest = anyRest;
  }

  /**
   * Compiles a pattern.
   *
   * @throws IllegalArgumentException when it does not start with {@code /} or has {@code **} before
   *     its end
   */
  static PathPattern compile(String text) {
    if (!text.startsWith("/")) {
      throw new IllegalArgumentException(
          "Route path pattern '" + text + "' must start with '/', such as /charges or /orders/*");
    }
    String[] parts = split(text);
    boolean anyRest = parts.length > 0 && parts[parts.length - 1].equals("**");
    String[] segments = anyRest ? Arrays.copyOf(parts, parts.length - 1) : parts;
    for (int i = 0; i < segments.length; i++) {
      String s = segments[i];
      if (s.equals("**")) {
        throw new IllegalArgumentException(
            "Route path pattern '" + text + "': '**' may only be the last segment");
      }
      if (s.startsWith("{") && s.endsWith("}") || s.equals(ONE)) {
        segments[i] = ONE;
      } else if (s.contains("*") || s.contains("{") || s.contains("}")) {
        throw new IllegalArgumentException(
            "Route path pattern '"
                + text
                + "': segment '"
                + s
                + "' mixes a wildcard with text; use a whole segment '*', '{name}' or a final '**'");
      }
    }
    return new PathPattern(text, segments, anyRest);
  }

  boolean matches(String path) {
    String[] parts = split(path);
    if (parts.length < segments.length || (!anyRest && parts.length != segments.length)) {
      return false;
    }
    for (int i = 0; i < segments.length; i++) {
      if (segments[i] != ONE && !segments[i].equals(parts[i])) {
        return false;
      }
    }
    return true;
  }

  private static String[] split(String path) {
    String trimmed =
        path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    return trimmed.equals("/") ? new String[0] : trimmed.substring(1).split("/", -1);
  }

  @Override
  public String toString() {
    return text;
  }
}
