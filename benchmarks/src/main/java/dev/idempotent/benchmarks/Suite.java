package dev.idempotent.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.format.OutputFormat;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Runs the whole suite and writes the table of ratios. Five groups, each its own JMH run (with the
 * GC profiler, for allocation per operation): the in-memory benchmarks (hit path, contention, the
 * request shapes and scaling of issue 17); the first calls, with a longer warm-up in full mode;
 * HTTP requests over loopback to embedded Jetty with and without the servlet filter (in every mode:
 * it needs no server but its own); the Redis and JDBC stores against their raw clients; Redis
 * throughput with 64 callers, between two runs of {@code redis-benchmark -t set -c 64} on the same
 * server. Then {@link HeapPerKey} in JVMs of its own.
 *
 * <pre>
 * java -cp benchmarks.jar dev.idempotent.benchmarks.Suite --mode full --out target/bench
 * </pre>
 *
 * <p>Modes: {@code smoke} (1 fork, one 100 ms warm-up and one 200 ms measurement per benchmark,
 * 20,000 keys for the heap figure, {@value #SMOKE_LIVE_KEYS} live keys only for {@code
 * LiveKeysBenchmark} and {@value #SMOKE_JSON_BYTES} bytes only for {@code ArgumentSizeBenchmark}:
 * proves that everything compiles and runs, figures meaningless), {@code dev} (2 × 1 s warm-up, 3 ×
 * 1 s measurement, for trying a change), {@code full} (5 × 1 s warm-up, the first calls 10 × 1 s, 5
 * × 2 s measurement, 1,000,000 keys; the store groups 2 × 1 s and 5 × 1 s, since a round trip is a
 * thousand times a hit in memory). Options: {@code --forks N} forks per benchmark (default 1; the
 * figures of issue 17 want at least 3, and JMH's error then spans the forks), {@code --include
 * REGEX} runs only matching benchmarks, {@code --prof NAME} adds a JMH profiler such as {@code
 * stack}, {@code --no-heap} skips the heap figure, {@code --no-stores} and {@code --stores} skip or
 * add the store groups (default: all modes but smoke run them; they need Redis at {@code
 * -Dbench.redis}, default {@code redis://127.0.0.1:6379}, and PostgreSQL at {@code -Dbench.jdbc},
 * default {@code jdbc:postgresql://127.0.0.1:5432/test}). Exits non-zero when a benchmark fails or
 * a figure is missing.
 */
public final class Suite {
  private static final String PACKAGE = "dev.idempotent.benchmarks.";
  private static final String ALLOC = "gc.alloc.rate.norm";
  private static final String ALL = ".*";
  private static final List<String> FORWARDED =
      List.of("bench.redis", "bench.jdbc", "bench.jdbc.user");
  private static final String SMOKE_LIVE_KEYS = "1000";
  private static final String SMOKE_JSON_BYTES = "1000";
  private static final List<String> HEAP_FIGURES =
      List.of(
          "engine.payloadOff",
          "engine.payloadOn",
          "handWrittenCaffeine",
          "handWrittenCaffeine.sameKeyText");

  /** What every group's JMH run shares. */
  private record RunSettings(
      String mode, String include, List<String> profilers, int forks, Path out) {}

  private Suite() {}

  /**
   * Runs the suite.
   *
   * @param args {@code --mode smoke|dev|full}, {@code --out DIR}, {@code --forks N}, {@code
   *     --include REGEX}, {@code --prof NAME}, {@code --no-heap}, {@code --no-stores}, {@code
   *     --stores}
   */
  public static void main(String[] args) throws Exception {
    String mode = "smoke";
    Path out = Paths.get("target", "bench");
    String include = ALL;
    List<String> profilers = new ArrayList<>();
    boolean heap = true;
    Boolean stores = null;
    int forks = 1;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--mode" -> mode = args[++i];
        case "--out" -> out = Paths.get(args[++i]);
        case "--forks" -> forks = Integer.parseInt(args[++i]);
        case "--include" -> include = args[++i];
        case "--prof" -> profilers.add(args[++i]);
        case "--no-heap" -> heap = false;
        case "--no-stores" -> stores = false;
        case "--stores" -> stores = true;
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    if (!List.of("smoke", "dev", "full").contains(mode)) {
      throw new IllegalArgumentException("--mode is smoke, dev or full, was " + mode);
    }
    if (forks < 1) {
      throw new IllegalArgumentException("--forks is at least 1, was " + forks);
    }
    boolean full = mode.equals("full");
    // The store groups add about 50 s of forks and round trips: not part of the smoke run.
    boolean withStores = stores != null ? stores : !mode.equals("smoke");
    if (mode.equals("smoke")) {
      // JMH allows one run per machine (/tmp/jmh.lock). A smoke run's figures mean nothing, so it
      // must not fail a build because another engineer's benchmarks are running.
      System.setProperty("jmh.ignoreLock", "true");
    }
    Files.createDirectories(out);
    RunSettings settings = new RunSettings(mode, include, profilers, forks, out);
    long started = System.nanoTime();
    String loadAtStart = loadAverage();

    Map<String, RunResult> results = new LinkedHashMap<>();
    Map<String, Double> external = new LinkedHashMap<>();
    Set<Report.Group> ran = EnumSet.noneOf(Report.Group.class);
    if (runGroup(Report.Group.MEMORY, settings, results)) {
      ran.add(Report.Group.MEMORY);
    }
    if (runGroup(Report.Group.FIRST_CALL, settings, results)) {
      ran.add(Report.Group.FIRST_CALL);
    }
    if (runGroup(Report.Group.HTTP, settings, results)) {
      ran.add(Report.Group.HTTP);
    }
    if (withStores && runGroup(Report.Group.STORE, settings, results)) {
      ran.add(Report.Group.STORE);
    }
    if (withStores && matches(Report.Group.THROUGHPUT, include)) {
      int requests = full ? 100_000 : 10_000;
      external.put(
          Report.REDIS_BENCHMARK_BEFORE, RedisBenchmarkTool.setRequestsPerSecond(requests));
      runGroup(Report.Group.THROUGHPUT, settings, results);
      external.put(Report.REDIS_BENCHMARK_AFTER, RedisBenchmarkTool.setRequestsPerSecond(requests));
      ran.add(Report.Group.THROUGHPUT);
    }
    if (heap) {
      external.putAll(measureHeap(full ? 1_000_000 : 20_000));
      ran.add(Report.Group.HEAP);
    }

    Report report = new Report(mode, results, external);
    String machine =
        "load average (1, 5, 15 min) at the start: "
            + loadAtStart
            + ", at the end: "
            + loadAverage();
    String table = report.markdown(LocalDate.now(ZoneOffset.UTC), machine);
    Files.writeString(out.resolve("table.md"), table, StandardCharsets.UTF_8);
    System.out.println();
    System.out.println(table);
    System.out.printf(
        Locale.ROOT,
        "Suite (%s) took %d s; table in %s%n",
        mode,
        TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started),
        out.resolve("table.md"));
    List<String> missing = report.missing(include.equals(ALL) ? ran : Set.of());
    if (!missing.isEmpty()) {
      System.err.println("Missing figures: " + missing);
      System.exit(1);
    }
  }

  /** Whether {@code include} selects any benchmark of the group. */
  private static boolean matches(Report.Group group, String include) {
    OutputFormat silent = OutputFormatFactory.createFormatInstance(System.out, VerboseMode.SILENT);
    return !BenchmarkList.defaultList()
        .find(silent, List.of(include), excludesFor(group))
        .isEmpty();
  }

  /** Every benchmark class of the other groups. */
  private static List<String> excludesFor(Report.Group group) {
    List<String> excludes = new ArrayList<>();
    for (Report.Group other : Report.Group.values()) {
      if (other != group) {
        for (String benchmarkClass : other.benchmarkClasses()) {
          excludes.add(PACKAGE + benchmarkClass + "\\.");
        }
      }
    }
    return excludes;
  }

  /** Runs the group's benchmarks that {@code include} selects, if any; answers whether it ran. */
  private static boolean runGroup(
      Report.Group group, RunSettings settings, Map<String, RunResult> results)
      throws RunnerException {
    String mode = settings.mode();
    if (group.benchmarkClasses().isEmpty() || !matches(group, settings.include())) {
      return false;
    }
    List<String> jvmArgs = new ArrayList<>(List.of("-Xms1g", "-Xmx1g"));
    jvmArgs.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
    for (String property : FORWARDED) {
      String value = System.getProperty(property);
      if (value != null) {
        jvmArgs.add("-D" + property + "=" + value);
      }
    }
    ChainedOptionsBuilder options =
        new OptionsBuilder()
            .include(settings.include())
            .forks(settings.forks())
            .jvmArgs(jvmArgs.toArray(new String[0]))
            .shouldFailOnError(true)
            .addProfiler(GCProfiler.class)
            .resultFormat(ResultFormatType.JSON)
            .result(
                settings
                    .out()
                    .resolve("jmh-" + group.name().toLowerCase(Locale.ROOT) + ".json")
                    .toString());
    for (String exclude : excludesFor(group)) {
      options.exclude(exclude);
    }
    boolean firstCalls = group == Report.Group.FIRST_CALL;
    boolean roundTrips = group != Report.Group.MEMORY && !firstCalls;
    if (mode.equals("full")) {
      // In memory, five warm-up seconds; the first-call benchmarks ten: the JIT over their whole
      // path settles in their fourth or fifth second on a quiet machine, later on a loaded one,
      // and an unsettled iteration is most of the error issue 17 bounds.
      options
          .warmupIterations(firstCalls ? 10 : roundTrips ? 2 : 5)
          .warmupTime(TimeValue.seconds(1))
          .measurementIterations(5)
          .measurementTime(TimeValue.seconds(roundTrips ? 1 : 2));
    } else if (mode.equals("dev")) {
      options
          .warmupIterations(2)
          .warmupTime(TimeValue.seconds(1))
          .measurementIterations(3)
          .measurementTime(TimeValue.seconds(1));
    } else {
      options
          .warmupIterations(1)
          .warmupTime(TimeValue.milliseconds(100))
          .measurementIterations(1)
          .measurementTime(TimeValue.milliseconds(200))
          // One value of each scaling parameter: a smoke run only proves that the benchmark sets
          // up and runs (priming a million keys takes seconds), and each value is a fork more.
          .param("liveKeys", SMOKE_LIVE_KEYS)
          .param("jsonBytes", SMOKE_JSON_BYTES);
    }
    for (String profiler : settings.profilers()) {
      options.addProfiler(profiler);
    }
    Collection<RunResult> runs = new Runner(options.build()).run();
    for (RunResult run : runs) {
      results.put(key(run.getParams()), run);
    }
    return true;
  }

  /**
   * A result's name in the report: {@code Class.method}, then its parameters, if any, as {@code
   * [name=value,...]}.
   */
  static String key(BenchmarkParams params) {
    String name = params.getBenchmark().substring(PACKAGE.length());
    List<String> assignments = new ArrayList<>();
    for (String param : params.getParamsKeys()) {
      assignments.add(param + "=" + params.getParam(param));
    }
    return assignments.isEmpty() ? name : name + "[" + String.join(",", assignments) + "]";
  }

  /** Runs {@link HeapPerKey} once per figure, each in a JVM of its own, and reads the figures. */
  private static Map<String, Double> measureHeap(int keys)
      throws IOException, InterruptedException {
    Map<String, Double> figures = new LinkedHashMap<>();
    for (String figure : HEAP_FIGURES) {
      figures.putAll(measureHeap(keys, figure));
    }
    return figures;
  }

  private static Map<String, Double> measureHeap(int keys, String figure)
      throws IOException, InterruptedException {
    String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder builder =
        new ProcessBuilder(
                java,
                "-XX:+UseSerialGC",
                "-Xms3g",
                "-Xmx3g",
                "-cp",
                System.getProperty("java.class.path"),
                HeapPerKey.class.getName(),
                Integer.toString(keys),
                figure)
            .redirectErrorStream(true);
    System.out.println("# Heap per live key: " + String.join(" ", builder.command()));
    Process process = builder.start();
    Map<String, Double> figures = new LinkedHashMap<>();
    try (BufferedReader reader =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        System.out.println("# " + line);
        int eq = line.indexOf('=');
        if (eq > 0) {
          try {
            figures.put(line.substring(0, eq), Double.parseDouble(line.substring(eq + 1)));
          } catch (NumberFormatException notAFigure) {
            // a line of the child's own output; shown above
          }
        }
      }
    }
    if (process.waitFor() != 0) {
      throw new IllegalStateException("HeapPerKey exited with " + process.exitValue());
    }
    return figures;
  }

  /** The load average (1, 5 and 15 min) now, for the machine note. */
  private static String loadAverage() {
    try {
      String load = Files.readString(Paths.get("/proc/loadavg")).trim();
      return String.join(", ", List.of(load.split(" ")).subList(0, 3));
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }

  /** The score of a run's primary result, or NaN. */
  static double score(RunResult run) {
    return run == null ? Double.NaN : run.getPrimaryResult().getScore();
  }

  /** The score error (99.9%) of a run's primary result, or NaN. */
  static double error(RunResult run) {
    return run == null ? Double.NaN : run.getPrimaryResult().getScoreError();
  }

  /** Bytes allocated per operation, from the GC profiler, or NaN. */
  static double allocation(RunResult run) {
    if (run == null) {
      return Double.NaN;
    }
    Result<?> alloc = run.getSecondaryResults().get(ALLOC);
    return alloc == null ? Double.NaN : alloc.getScore();
  }
}
