package dev.idempotent.benchmarks;

import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;

/**
 * The two scaling tables of issue 17, from one run's results: the default hit ({@link
 * ArgumentSizeBenchmark}) by the size of the argument's canonical JSON, and ({@link
 * LiveKeysBenchmark}) by the number of live keys, each beside the lean lookup of the same run. Rows
 * only for what ran.
 */
final class ScalingTables {
  private static final String SIZE = "ArgumentSizeBenchmark.";
  private static final String LIVE = "LiveKeysBenchmark.";
  private static final double KB = 1024;

  private ScalingTables() {}

  /** Both tables, each only when its benchmark ran; empty when neither did. */
  static String markdown(Map<String, RunResult> runs) {
    return bySize(runs) + byLiveKeys(runs);
  }

  /**
   * How much a larger argument costs per added KB of canonical JSON: the difference of two scores
   * of {@link ArgumentSizeBenchmark} over the difference of their arguments' canonical sizes.
   */
  static double nsPerAddedKb(
      RunResult smaller, String smallerKey, RunResult larger, String largerKey) {
    double added = (canonicalBytes(largerKey) - canonicalBytes(smallerKey)) / KB;
    return (Suite.score(larger) - Suite.score(smaller)) / added;
  }

  private static String bySize(Map<String, RunResult> runs) {
    StringBuilder md = new StringBuilder();
    RunResult lean = runs.get(SIZE + "lean");
    for (Map.Entry<String, RunResult> entry : runs.entrySet()) {
      String key = entry.getKey();
      if (!key.startsWith(SIZE) || key.indexOf('[') < 0) {
        continue;
      }
      if (md.length() == 0) {
        md.append(
            String.format(
                Locale.ROOT,
                "%nDefault hit (woven, payload check on) by the size of the argument's canonical"
                    + " JSON; the lean lookup on the same keys: %s ns/op.%n%n"
                    + "| benchmark | canonical JSON (B) | ns/op | ± (99.9%%) | ÷ lean | ns per KB"
                    + " | B/op |%n| --- | ---: | ---: | ---: | ---: | ---: | ---: |%n",
                number(Suite.score(lean))));
      }
      RunResult run = entry.getValue();
      int bytes = canonicalBytes(key);
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %d | %s | %s | %.2f | %s | %.0f |%n",
              key,
              bytes,
              number(Suite.score(run)),
              number(Suite.error(run)),
              Suite.score(run) / Suite.score(lean),
              number(Suite.score(run) / (bytes / KB)),
              Suite.allocation(run)));
    }
    return md.toString();
  }

  private static String byLiveKeys(Map<String, RunResult> runs) {
    StringBuilder md = new StringBuilder();
    String woven = LIVE + "wovenPayloadOn[";
    for (Map.Entry<String, RunResult> entry : runs.entrySet()) {
      if (!entry.getKey().startsWith(woven)) {
        continue;
      }
      if (md.length() == 0) {
        md.append(
            "\nDefault hit (woven, payload check on) by the number of live keys, visited in a"
                + " scrambled order, beside the lean lookup on the same keys.\n\n"
                + "| live keys | woven ns/op | ± (99.9%) | lean ns/op | ± (99.9%) | woven ÷ lean"
                + " | B/op woven | B/op lean |\n"
                + "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
      }
      RunResult run = entry.getValue();
      RunResult lean = runs.get(LIVE + "lean" + entry.getKey().substring(woven.length() - 1));
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %s | %s | %s | %s | %.2f | %.0f | %.0f |%n",
              paramValue(entry.getKey()),
              number(Suite.score(run)),
              number(Suite.error(run)),
              number(Suite.score(lean)),
              number(Suite.error(lean)),
              Suite.score(run) / Suite.score(lean),
              Suite.allocation(run),
              Suite.allocation(lean)));
    }
    return md.toString();
  }

  /** The canonical size of the argument of {@code ArgumentSizeBenchmark.method[jsonBytes=N]}. */
  private static int canonicalBytes(String key) {
    String method = key.substring(SIZE.length(), key.indexOf('['));
    return ArgumentSizeBenchmark.canonicalBytes(method, Integer.parseInt(paramValue(key)));
  }

  /** The value of the one parameter of {@code Class.method[name=value]}. */
  private static String paramValue(String key) {
    return key.substring(key.indexOf('=') + 1, key.indexOf(']'));
  }

  private static String number(double value) {
    return Double.isNaN(value) ? "n/a" : String.format(Locale.ROOT, "%.1f", value);
  }
}
