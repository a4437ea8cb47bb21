package dev.idempotent.benchmarks;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.openjdk.jmh.results.RunResult;

/**
 * Turns one run's results into the markdown of {@code benchmarks/README.md}: the figures of issue 7
 * as ratios of benchmarks measured in the same run, each with its target, then every benchmark's
 * score and allocation.
 */
final class Report {
  private static final String HIT = "HitPathBenchmark.";
  private static final String FIRST = "FirstCallBenchmark.";
  private static final String CONTENTION = "ContentionBenchmark.";
  private static final String REDIS = "RedisStoreBenchmark.";
  private static final String DURABILITY = "RedisDurabilityBenchmark.";
  private static final String JDBC = "JdbcStoreBenchmark.";
  private static final String THROUGHPUT = "RedisThroughputBenchmark.";
  private static final String HTTP = "HttpServerBenchmark.";
  private static final String NESTED = "NestedRequestBenchmark.";
  private static final String SIZE = "ArgumentSizeBenchmark.";
  private static final String LIVE = "LiveKeysBenchmark.";

  /** {@code redis-benchmark}'s SET requests per second just before the throughput benchmark. */
  static final String REDIS_BENCHMARK_BEFORE = "redisBenchmark.before";

  /** {@code redis-benchmark}'s SET requests per second just after the throughput benchmark. */
  static final String REDIS_BENCHMARK_AFTER = "redisBenchmark.after";

  /** The parts of a run; the Suite runs each as its own JMH run. */
  enum Group {
    MEMORY(
        "HitPathBenchmark",
        "ContentionBenchmark",
        "NestedRequestBenchmark",
        "ArgumentSizeBenchmark",
        "LiveKeysBenchmark"),
    FIRST_CALL("FirstCallBenchmark"),
    STORE("RedisStoreBenchmark", "RedisDurabilityBenchmark", "JdbcStoreBenchmark"),
    THROUGHPUT("RedisThroughputBenchmark"),
    HTTP("HttpServerBenchmark"),
    HEAP;

    private final List<String> benchmarkClasses;

    Group(String... benchmarkClasses) {
      this.benchmarkClasses = List.of(benchmarkClasses);
    }

    /** The simple names of the group's JMH classes. */
    List<String> benchmarkClasses() {
      return benchmarkClasses;
    }
  }

  /**
   * One figure: a ratio of two benchmarks' scores, an allocation, a heap size or a ratio of two, a
   * benchmark's throughput over {@code redis-benchmark}'s, a score's error as a percentage of it,
   * or the growth of a score per added KB of canonical JSON between two argument sizes; maybe with
   * a target, an upper bound unless {@code atLeast}.
   */
  private record Figure(
      String label, Kind kind, String subject, String base, double target, boolean atLeast) {
    static final double REPORTED = Double.NaN;

    Figure(String label, Kind kind, String subject, String base, double target) {
      this(label, kind, subject, base, target, false);
    }

    Group group() {
      return switch (kind) {
        case HEAP, HEAP_RATIO -> Group.HEAP;
        case OVER_REDIS_BENCHMARK -> Group.THROUGHPUT;
        default -> {
          if (subject.startsWith(THROUGHPUT)) {
            yield Group.THROUGHPUT;
          }
          if (subject.startsWith(HTTP)) {
            yield Group.HTTP;
          }
          if (subject.startsWith(FIRST)) {
            yield Group.FIRST_CALL;
          }
          yield subject.startsWith(REDIS)
                  || subject.startsWith(DURABILITY)
                  || subject.startsWith(JDBC)
              ? Group.STORE
              : Group.MEMORY;
        }
      };
    }
  }

  private enum Kind {
    RATIO,
    ALLOCATION,
    HEAP,
    HEAP_RATIO,
    OVER_REDIS_BENCHMARK,
    ERROR_PERCENT,
    NS_PER_ADDED_KB
  }

  private static final List<Figure> FIGURES =
      List.of(
          new Figure(
              "hit, woven, payload check off ÷ lean hand-written lookup (inline, short id)",
              Kind.RATIO,
              HIT + "wovenPayloadOff",
              HIT + "baselineLean",
              1.2),
          new Figure(
              "allocation, hit path, woven, payload check off (B/op)",
              Kind.ALLOCATION,
              HIT + "wovenPayloadOff",
              null,
              24),
          new Figure(
              "hit, woven, payload check on, request with a nested record and a BigDecimal ÷ lean"
                  + " hand-written lookup",
              Kind.RATIO,
              NESTED + "wovenPayloadOn",
              NESTED + "lean",
              2),
          new Figure(
              "allocation, hit path, woven, payload check on, nested request (B/op)",
              Kind.ALLOCATION,
              NESTED + "wovenPayloadOn",
              null,
              64),
          new Figure(
              "heap per live key, payload check off ÷ hand-written Caffeine entry, same key text",
              Kind.HEAP_RATIO,
              "engine.payloadOff",
              "handWrittenCaffeine.sameKeyText",
              1.25),
          new Figure(
              "heap per live key, payload check on ÷ hand-written Caffeine entry, same key text",
              Kind.HEAP_RATIO,
              "engine.payloadOn",
              "handWrittenCaffeine.sameKeyText",
              1.5),
          new Figure(
              "first call, woven ÷ `cache.get(key, fn)`",
              Kind.RATIO,
              FIRST + "wovenPayloadOff",
              FIRST + "baselineCacheGet",
              2),
          new Figure(
              "first call, woven, payload check off: error (99.9%) ÷ score (%)",
              Kind.ERROR_PERCENT, FIRST + "wovenPayloadOff", null, 20),
          new Figure(
              "first call, `cache.get(key, fn)`: error (99.9%) ÷ score (%)",
              Kind.ERROR_PERCENT, FIRST + "baselineCacheGet", null, 20),
          new Figure(
              "Redis, 64 callers on one connection, hits through the engine ÷ raw Lettuce `GET`",
              Kind.RATIO,
              THROUGHPUT + "engineHit",
              THROUGHPUT + "rawGet",
              0.9,
              true),
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
              "hit, Spring proxy (starter), payload check off ÷ Spring `@Cacheable`",
              Kind.RATIO,
              HIT + "springProxyPayloadOff",
              HIT + "baselineSpringCacheable",
              0.15),
          new Figure(
              "hit, woven, payload check on ÷ hand-written Caffeine",
              Kind.RATIO,
              HIT + "wovenPayloadOn",
              HIT + "baselineCaffeine",
              3),
          new Figure(
              "hit, intercepted (Guice), payload check on ÷ hand-written Caffeine",
              Kind.RATIO,
              HIT + "interceptedPayloadOn",
              HIT + "baselineCaffeine",
              3),
          new Figure(
              "hit, programmatic, payload ÷ hand-written Caffeine",
              Kind.RATIO,
              HIT + "programmaticPayloadOn",
              HIT + "baselineCaffeine",
              3),
          new Figure(
              "heap per live key beyond the result, payload check off (B)",
              Kind.HEAP,
              "engine.payloadOff",
              null,
              150),
          new Figure(
              "Redis, 64 callers, hits through the engine ÷ `redis-benchmark -t set -c 64`",
              Kind.OVER_REDIS_BENCHMARK,
              THROUGHPUT + "engineHit",
              null,
              0.5,
              true),
          new Figure(
              "HTTP replay through `IdempotencyFilter` ÷ the same request without the filter"
                  + " (Jetty, loopback)",
              Kind.RATIO,
              HTTP + "replayed",
              HTTP + "unfiltered",
              1.2),
          new Figure(
              "hit, intercepted (Guice), payload check off ÷ hand-written Caffeine",
              Kind.RATIO,
              HIT + "interceptedPayloadOff",
              HIT + "baselineCaffeine",
              Figure.REPORTED),
          new Figure(
              "hit, programmatic, no payload ÷ hand-written Caffeine",
              Kind.RATIO,
              HIT + "programmaticPayloadOff",
              HIT + "baselineCaffeine",
              Figure.REPORTED),
          new Figure(
              "hit, Spring proxy (starter), payload check on ÷ Spring `@Cacheable`",
              Kind.RATIO,
              HIT + "springProxyPayloadOn",
              HIT + "baselineSpringCacheable",
              Figure.REPORTED),
          new Figure(
              "hit, Spring proxy (starter), payload check off ÷ hand-written Caffeine",
              Kind.RATIO,
              HIT + "springProxyPayloadOff",
              HIT + "baselineCaffeine",
              Figure.REPORTED),
          new Figure(
              "allocation, hit path, Spring proxy (starter), payload check off (B/op)",
              Kind.ALLOCATION,
              HIT + "springProxyPayloadOff",
              null,
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
              "first call, intercepted (Guice) ÷ `cache.get(key, fn)`",
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
              "allocation, hit path, intercepted (Guice), payload check off (B/op)",
              Kind.ALLOCATION,
              HIT + "interceptedPayloadOff",
              null,
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
              Figure.REPORTED),
          new Figure(
              "Redis hit, engine ÷ raw Lettuce `GET`",
              Kind.RATIO,
              REDIS + "engineHit",
              REDIS + "rawHit",
              Figure.REPORTED),
          new Figure(
              "Redis first call, engine ÷ raw `SET NX PX` + `EVALSHA`",
              Kind.RATIO,
              REDIS + "engineFirstCall",
              REDIS + "rawFirstCall",
              Figure.REPORTED),
          new Figure(
              "Redis first call, `Durability.replicas(1, 2s)` (two `WAIT`s) ÷ no durability",
              Kind.RATIO,
              DURABILITY + "firstCallDurable",
              DURABILITY + "firstCallPlain",
              Figure.REPORTED),
          new Figure(
              "Redis first call, `completionsOnly()` (one `WAIT`) ÷ no durability",
              Kind.RATIO,
              DURABILITY + "firstCallCompletionsOnly",
              DURABILITY + "firstCallPlain",
              Figure.REPORTED),
          new Figure(
              "Redis hit, durable store ÷ no durability",
              Kind.RATIO,
              DURABILITY + "hitDurable",
              DURABILITY + "hitPlain",
              Figure.REPORTED),
          new Figure(
              "JDBC (PostgreSQL) hit, engine ÷ raw `SELECT`",
              Kind.RATIO,
              JDBC + "engineHit",
              JDBC + "rawHit",
              Figure.REPORTED),
          new Figure(
              "JDBC (PostgreSQL) first call, engine ÷ raw `INSERT` + `UPDATE`",
              Kind.RATIO,
              JDBC + "engineFirstCall",
              JDBC + "rawFirstCall",
              Figure.REPORTED),
          new Figure(
              "Redis, 64 callers, raw Lettuce `GET` (one connection) ÷ `redis-benchmark -t set -c"
                  + " 64`",
              Kind.OVER_REDIS_BENCHMARK,
              THROUGHPUT + "rawGet",
              null,
              Figure.REPORTED),
          new Figure(
              "Redis, 64 callers, first calls through the engine ÷ `redis-benchmark -t set -c 64`",
              Kind.OVER_REDIS_BENCHMARK,
              THROUGHPUT + "engineFirstCall",
              null,
              Figure.REPORTED),
          new Figure(
              "HTTP first request through `IdempotencyFilter` (recorded) ÷ without the filter",
              Kind.RATIO,
              HTTP + "firstRequest",
              HTTP + "unfiltered",
              Figure.REPORTED),
          new Figure(
              "hit, woven, payload check on ÷ lean hand-written lookup",
              Kind.RATIO,
              HIT + "wovenPayloadOn",
              HIT + "baselineLean",
              Figure.REPORTED),
          new Figure(
              "hit, hand-written Caffeine (a class of its own) ÷ lean hand-written lookup",
              Kind.RATIO,
              HIT + "baselineCaffeine",
              HIT + "baselineLean",
              Figure.REPORTED),
          new Figure(
              "hit, woven, payload check off, nested request ÷ lean hand-written lookup",
              Kind.RATIO,
              NESTED + "wovenPayloadOff",
              NESTED + "lean",
              Figure.REPORTED),
          new Figure(
              "hit, programmatic, nested request as payload ÷ lean hand-written lookup",
              Kind.RATIO,
              NESTED + "programmaticPayloadOn",
              NESTED + "lean",
              Figure.REPORTED),
          new Figure(
              "allocation, hit path, woven, payload check off, nested request (B/op)",
              Kind.ALLOCATION,
              NESTED + "wovenPayloadOff",
              null,
              Figure.REPORTED),
          new Figure(
              "heap per live key, hand-written Caffeine, key the bare id (B)",
              Kind.HEAP,
              "handWrittenCaffeine.sameKeyText",
              null,
              Figure.REPORTED),
          new Figure(
              "heap per live key, payload check off ÷ hand-written Caffeine entry, key"
                  + " `\"orders.place:\" + id`",
              Kind.HEAP_RATIO,
              "engine.payloadOff",
              "handWrittenCaffeine",
              Figure.REPORTED),
          new Figure(
              "heap per live key, payload check on ÷ hand-written Caffeine entry, key"
                  + " `\"orders.place:\" + id`",
              Kind.HEAP_RATIO,
              "engine.payloadOn",
              "handWrittenCaffeine",
              Figure.REPORTED),
          new Figure(
              "default hit, growth from about 1 KB to 10 KB of canonical JSON, strings and"
                  + " numbers (ns per added KB)",
              Kind.NS_PER_ADDED_KB,
              SIZE + "wovenFlat[jsonBytes=10000]",
              SIZE + "wovenFlat[jsonBytes=1000]",
              Figure.REPORTED),
          new Figure(
              "default hit, growth from about 1 KB to 10 KB of canonical JSON, nested record and"
                  + " list (ns per added KB)",
              Kind.NS_PER_ADDED_KB,
              SIZE + "wovenList[jsonBytes=10000]",
              SIZE + "wovenList[jsonBytes=1000]",
              Figure.REPORTED),
          new Figure(
              "default hit, woven, 1,000,000 live keys ÷ lean hand-written lookup, same keys",
              Kind.RATIO,
              LIVE + "wovenPayloadOn[liveKeys=1000000]",
              LIVE + "lean[liveKeys=1000000]",
              Figure.REPORTED),
          new Figure(
              "default hit, woven, 1,000,000 live keys ÷ 1,000 live keys",
              Kind.RATIO,
              LIVE + "wovenPayloadOn[liveKeys=1000000]",
              LIVE + "wovenPayloadOn[liveKeys=1000]",
              Figure.REPORTED));

  private final String mode;
  private final Map<String, RunResult> runs;
  private final Map<String, Double> external;

  /**
   * @param runs every benchmark's result by {@code Class.method}
   * @param external figures measured outside JMH: the heap per key and {@code redis-benchmark}'s
   *     rates
   */
  Report(String mode, Map<String, RunResult> runs, Map<String, Double> external) {
    this.mode = mode;
    this.runs = runs;
    this.external = external;
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
    md.append(
        "| figure | measured | ± (99.9%) of each | target | met |\n"
            + "| --- | ---: | ---: | ---: | --- |\n");
    for (Figure figure : FIGURES) {
      double value = value(figure);
      boolean hasTarget = !Double.isNaN(figure.target());
      md.append("| ")
          .append(figure.label())
          .append(" | ")
          .append(format(value, figure.kind()))
          .append(" | ")
          .append(errors(figure))
          .append(" | ")
          .append(
              hasTarget ? (figure.atLeast() ? "≥ " : "≤ ") + trim(figure.target()) : "(reported)")
          .append(" | ")
          .append(
              !hasTarget ? "" : Double.isNaN(value) ? "?" : met(figure, value) ? "met" : "missed")
          .append(" |\n");
    }
    Double before = external.get(REDIS_BENCHMARK_BEFORE);
    Double after = external.get(REDIS_BENCHMARK_AFTER);
    if (before != null && after != null) {
      md.append(
          String.format(
              Locale.ROOT,
              "%n`redis-benchmark -t set -c 64` on the same server: %.0f requests/s just before the"
                  + " throughput benchmark, %.0f just after; the throughput ratios use their mean.%n",
              before,
              after));
    }
    Double keyText = external.get("keyTextBytes");
    if (keyText != null) {
      md.append(
          String.format(
              Locale.ROOT,
              "%nHeap figures include the key text, a %s B String retained by the store.%n",
              trim(keyText)));
    }
    md.append(ScalingTables.markdown(runs));
    md.append(
        "\n| benchmark | score | ± (99.9%) | unit | B/op |\n| --- | ---: | ---: | --- | ---: |\n");
    for (Map.Entry<String, RunResult> entry : runs.entrySet()) {
      RunResult run = entry.getValue();
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %.1f | %.1f | %s | %.0f |%n",
              entry.getKey(),
              Suite.score(run),
              Suite.error(run),
              run.getPrimaryResult().getScoreUnit(),
              Suite.allocation(run)));
    }
    return md.toString();
  }

  /**
   * The figures of the groups that ran in full that could not be computed, leaving out those of a
   * benchmark parameter's value the run did not measure (a smoke run measures fewer live keys) and
   * the error of a benchmark measured once (a smoke run's single iteration has none).
   */
  List<String> missing(Set<Group> ranInFull) {
    List<String> missing = new ArrayList<>();
    for (Figure figure : FIGURES) {
      if (ranInFull.contains(figure.group())
          && paramsRan(figure.subject())
          && paramsRan(figure.base())
          && Double.isNaN(value(figure))
          && !(figure.kind() == Kind.ERROR_PERCENT && runs.containsKey(figure.subject()))) {
        missing.add(figure.label());
      }
    }
    return missing;
  }

  /**
   * Whether some benchmark of the class of {@code key} ran with the parameters {@code key} names
   * ({@code Class.method[name=value]}); true for a key without parameters.
   */
  private boolean paramsRan(String key) {
    if (key == null || key.indexOf('[') < 0) {
      return true;
    }
    String benchmarkClass = key.substring(0, key.indexOf('.') + 1);
    String params = key.substring(key.indexOf('['));
    return runs.keySet().stream()
        .anyMatch(run -> run.startsWith(benchmarkClass) && run.endsWith(params));
  }

  /** The errors of a ratio's two scores, each as a percentage of its score. */
  private String errors(Figure figure) {
    if (figure.kind() != Kind.RATIO && figure.kind() != Kind.NS_PER_ADDED_KB) {
      return "";
    }
    return percent(runs.get(figure.subject())) + " / " + percent(runs.get(figure.base()));
  }

  private static String percent(RunResult run) {
    double percent = errorPercent(run);
    return Double.isNaN(percent) ? "n/a" : String.format(Locale.ROOT, "%.0f%%", percent);
  }

  /** The error (99.9%) of a run's score as a percentage of the score, or NaN. */
  private static double errorPercent(RunResult run) {
    return 100 * Suite.error(run) / Suite.score(run);
  }

  private static boolean met(Figure figure, double value) {
    // Allocation is whole bytes; JMH's per-operation figure carries a few thousandths of a byte
    // of the profiler's own sampling (24.002 B/op for a 24-byte array).
    double compared = figure.kind() == Kind.ALLOCATION ? Math.round(value) : value;
    return figure.atLeast() ? compared >= figure.target() : compared <= figure.target();
  }

  private double value(Figure figure) {
    return switch (figure.kind()) {
      case RATIO -> Suite.score(runs.get(figure.subject())) / Suite.score(runs.get(figure.base()));
      case ALLOCATION -> Suite.allocation(runs.get(figure.subject()));
      case HEAP -> external.getOrDefault(figure.subject(), Double.NaN);
      case HEAP_RATIO ->
          external.getOrDefault(figure.subject(), Double.NaN)
              / external.getOrDefault(figure.base(), Double.NaN);
      case ERROR_PERCENT -> errorPercent(runs.get(figure.subject()));
      case NS_PER_ADDED_KB ->
          ScalingTables.nsPerAddedKb(
              runs.get(figure.base()), figure.base(), runs.get(figure.subject()), figure.subject());
      case OVER_REDIS_BENCHMARK -> {
        double before = external.getOrDefault(REDIS_BENCHMARK_BEFORE, Double.NaN);
        double after = external.getOrDefault(REDIS_BENCHMARK_AFTER, Double.NaN);
        yield Suite.score(runs.get(figure.subject())) / ((before + after) / 2);
      }
    };
  }

  private static String format(double value, Kind kind) {
    if (Double.isNaN(value)) {
      return "n/a";
    }
    return switch (kind) {
      case RATIO, HEAP_RATIO, OVER_REDIS_BENCHMARK -> String.format(Locale.ROOT, "%.2f", value);
      case ERROR_PERCENT, NS_PER_ADDED_KB -> String.format(Locale.ROOT, "%.1f", value);
      case ALLOCATION, HEAP -> String.format(Locale.ROOT, "%.0f", value);
    };
  }

  private static String trim(double value) {
    return value == Math.rint(value)
        ? Long.toString((long) value)
        : String.format(Locale.ROOT, "%s", value);
  }
}
