package dev.idempotent.benchmarks;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;

/**
 * Turns one run's results into the markdown of {@code benchmarks/README.md}: the figures of issue 7
 * as ratios of benchmarks measured in the same run, each with its target, then every benchmark's
 * time and allocation.
 */
final class Report {
  private static final String HIT = "HitPathBenchmark.";
  private static final String FIRST = "FirstCallBenchmark.";
  private static final String CONTENTION = "ContentionBenchmark.";

  /** One figure: a ratio of two benchmarks, an allocation, or a heap size; maybe with a target. */
  private record Figure(String label, Kind kind, String subject, String base, double target) {
    static final double REPORTED = Double.NaN;
  }

  private enum Kind {
    RATIO,
    ALLOCATION,
    HEAP
  }

  private static final List<Figure> FIGURES =
      List.of(
          new Figure(
              "hit, woven, payload check off ÷ hand-written Caffeine",
              Kind.RATIO,
              HIT + "wovenPayloadOff",
              HIT + "baselineCaffeine",
              1.3),
          new Figure(
              "hit, woven ÷ Spring `@Cacheable`",
              Kind.RATIO,
              HIT + "wovenPayloadOff",
              HIT + "baselineSpringCacheable",
              0.1),
          new Figure(
              "hit, woven, payload check on ÷ hand-written Caffeine",
              Kind.RATIO,
              HIT + "wovenPayloadOn",
              HIT + "baselineCaffeine",
              3),
          new Figure(
              "first call, woven ÷ `cache.get(key, fn)`",
              Kind.RATIO,
              FIRST + "wovenPayloadOff",
              FIRST + "baselineCacheGet",
              2.5),
          new Figure(
              "allocation, hit path, woven, payload check off (B/op)",
              Kind.ALLOCATION,
              HIT + "wovenPayloadOff",
              null,
              64),
          new Figure(
              "heap per live key beyond the result, payload check off (B)",
              Kind.HEAP,
              "engine.payloadOff",
              null,
              150),
          new Figure(
              "hit, intercepted (Guice-style `invoke`), payload off ÷ hand-written Caffeine",
              Kind.RATIO,
              HIT + "interceptedPayloadOff",
              HIT + "baselineCaffeine",
              Figure.REPORTED),
          new Figure(
              "hit, intercepted, payload on ÷ hand-written Caffeine",
              Kind.RATIO,
              HIT + "interceptedPayloadOn",
              HIT + "baselineCaffeine",
              Figure.REPORTED),
          new Figure(
              "hit, programmatic, no payload ÷ hand-written Caffeine",
              Kind.RATIO,
              HIT + "programmaticPayloadOff",
              HIT + "baselineCaffeine",
              Figure.REPORTED),
          new Figure(
              "hit, programmatic, payload ÷ hand-written Caffeine",
              Kind.RATIO,
              HIT + "programmaticPayloadOn",
              HIT + "baselineCaffeine",
              Figure.REPORTED),
          new Figure(
              "Spring `@Cacheable` hit ÷ hand-written Caffeine",
              Kind.RATIO,
              HIT + "baselineSpringCacheable",
              HIT + "baselineCaffeine",
              Figure.REPORTED),
          new Figure(
              "first call, woven, payload on ÷ `cache.get(key, fn)`",
              Kind.RATIO,
              FIRST + "wovenPayloadOn",
              FIRST + "baselineCacheGet",
              Figure.REPORTED),
          new Figure(
              "first call, intercepted ÷ `cache.get(key, fn)`",
              Kind.RATIO,
              FIRST + "interceptedPayloadOff",
              FIRST + "baselineCacheGet",
              Figure.REPORTED),
          new Figure(
              "first call, programmatic ÷ `cache.get(key, fn)`",
              Kind.RATIO,
              FIRST + "programmaticPayloadOff",
              FIRST + "baselineCacheGet",
              Figure.REPORTED),
          new Figure(
              "2 threads, one hot key: woven ÷ hand-written Caffeine",
              Kind.RATIO,
              CONTENTION + "wovenHotKey",
              CONTENTION + "baselineCaffeineHotKey",
              Figure.REPORTED),
          new Figure(
              "2 threads, many keys: woven ÷ hand-written Caffeine",
              Kind.RATIO,
              CONTENTION + "wovenManyKeys",
              CONTENTION + "baselineCaffeineManyKeys",
              Figure.REPORTED),
          new Figure(
              "allocation, hit path, woven, payload check on (B/op)",
              Kind.ALLOCATION,
              HIT + "wovenPayloadOn",
              null,
              Figure.REPORTED),
          new Figure(
              "allocation, first call, woven, payload check off (B/op)",
              Kind.ALLOCATION,
              FIRST + "wovenPayloadOff",
              null,
              Figure.REPORTED),
          new Figure(
              "allocation, first call, `cache.get(key, fn)` (B/op)",
              Kind.ALLOCATION,
              FIRST + "baselineCacheGet",
              null,
              Figure.REPORTED),
          new Figure(
              "heap per live key beyond the result, payload check on (B)",
              Kind.HEAP,
              "engine.payloadOn",
              null,
              Figure.REPORTED),
          new Figure(
              "heap per live key, hand-written Caffeine, key `\"orders.place:\" + id` (B)",
              Kind.HEAP,
              "handWrittenCaffeine",
              null,
              Figure.REPORTED));

  private final String mode;
  private final Map<String, RunResult> runs;
  private final Map<String, Double> heap;

  Report(String mode, Map<String, RunResult> runs, Map<String, Double> heap) {
    this.mode = mode;
    this.runs = runs;
    this.heap = heap;
  }

  /** The markdown: the figures, then every benchmark. */
  String markdown(LocalDate date, String machineNote) {
    StringBuilder md = new StringBuilder();
    md.append(
        String.format(
            Locale.ROOT,
            "Run of %s, mode %s, JDK %s (%s), %d cores; %s.%n%n",
            date,
            mode,
            System.getProperty("java.version"),
            System.getProperty("java.vm.name"),
            Runtime.getRuntime().availableProcessors(),
            machineNote));
    md.append("| figure | measured | target | met |\n| --- | ---: | ---: | --- |\n");
    for (Figure figure : FIGURES) {
      double value = value(figure);
      boolean hasTarget = !Double.isNaN(figure.target());
      md.append("| ")
          .append(figure.label())
          .append(" | ")
          .append(format(value, figure.kind()))
          .append(" | ")
          .append(hasTarget ? "≤ " + trim(figure.target()) : "(reported)")
          .append(" | ")
          .append(
              !hasTarget
                  ? ""
                  : Double.isNaN(value) ? "?" : value <= figure.target() ? "met" : "missed")
          .append(" |\n");
    }
    Double keyText = heap.get("keyTextBytes");
    if (keyText != null) {
      md.append(
          String.format(
              Locale.ROOT,
              "%nHeap figures include the key text, a %s B String retained by the store.%n",
              trim(keyText)));
    }
    md.append("\n| benchmark | ns/op | ± (99.9%) | B/op |\n| --- | ---: | ---: | ---: |\n");
    for (Map.Entry<String, RunResult> entry : runs.entrySet()) {
      RunResult run = entry.getValue();
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %.1f | %.1f | %.0f |%n",
              entry.getKey(),
              Suite.score(run),
              Suite.error(run),
              Suite.allocation(run)));
    }
    return md.toString();
  }

  /** The figures that could not be computed. */
  List<String> missing(boolean allBenchmarks, boolean withHeap) {
    List<String> missing = new ArrayList<>();
    for (Figure figure : FIGURES) {
      boolean wanted = figure.kind() == Kind.HEAP ? withHeap : allBenchmarks;
      if (wanted && Double.isNaN(value(figure))) {
        missing.add(figure.label());
      }
    }
    return missing;
  }

  private double value(Figure figure) {
    switch (figure.kind()) {
      case RATIO:
        return Suite.score(runs.get(figure.subject())) / Suite.score(runs.get(figure.base()));
      case ALLOCATION:
        return Suite.allocation(runs.get(figure.subject()));
      default:
        Double bytes = heap.get(figure.subject());
        return bytes == null ? Double.NaN : bytes;
    }
  }

  private static String format(double value, Kind kind) {
    if (Double.isNaN(value)) {
      return "n/a";
    }
    return kind == Kind.RATIO
        ? String.format(Locale.ROOT, "%.2f", value)
        : String.format(Locale.ROOT, "%.0f", value);
  }

  private static String trim(double value) {
    return value == Math.rint(value)
        ? Long.toString((long) value)
        : String.format(Locale.ROOT, "%s", value);
  }
}
