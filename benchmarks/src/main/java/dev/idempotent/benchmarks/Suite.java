package dev.idempotent.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the whole suite and writes the table of ratios: every JMH benchmark of this module (with the
 * GC profiler, for allocation per operation), then {@link HeapPerKey} in a JVM of its own.
 *
 * <pre>
 * java -cp benchmarks.jar dev.idempotent.benchmarks.Suite --mode full --out target/bench
 * </pre>
 *
 * <p>Modes: {@code smoke} (1 fork, one 100 ms warm-up and one 200 ms measurement per benchmark,
 * 20,000 keys for the heap figure: proves that everything compiles and runs, figures meaningless),
 * {@code dev} (2 × 1 s warm-up, 3 × 1 s measurement, for trying a change), {@code full} (1 fork, 3
 * × 1 s warm-up, 5 × 2 s measurement, 1,000,000 keys). Options: {@code --include REGEX} runs only
 * matching benchmarks, {@code --prof NAME} adds a JMH profiler such as {@code stack}, {@code
 * --no-heap} skips the heap figure. Exits non-zero when a benchmark fails or a figure is missing.
 */
public final class Suite {
  private static final String PACKAGE = "dev.idempotent.benchmarks.";
  private static final String ALLOC = "gc.alloc.rate.norm";

  private Suite() {}

  /**
   * Runs the suite.
   *
   * @param args {@code --mode smoke|dev|full}, {@code --out DIR}, {@code --include REGEX}, {@code
   *     --prof NAME}, {@code --no-heap}
   */
  public static void main(String[] args) throws Exception {
    String mode = "smoke";
    Path out = Paths.get("target", "bench");
    String include = PACKAGE + ".*Benchmark\\..*";
    List<String> profilers = new ArrayList<>();
    boolean heap = true;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--mode" -> mode = args[++i];
        case "--out" -> out = Paths.get(args[++i]);
        case "--include" -> include = args[++i];
        case "--prof" -> profilers.add(args[++i]);
        case "--no-heap" -> heap = false;
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    if (!List.of("smoke", "dev", "full").contains(mode)) {
      throw new IllegalArgumentException("--mode is smoke, dev or full, was " + mode);
    }
    boolean full = mode.equals("full");
    Files.createDirectories(out);
    long started = System.nanoTime();

    Map<String, RunResult> results = runJmh(mode, include, profilers, out);
    Map<String, Double> heapFigures = heap ? measureHeap(full ? 1_000_000 : 20_000) : Map.of();

    Report report = new Report(mode, results, heapFigures);
    String table = report.markdown(LocalDate.now(), loadNote());
    Files.writeString(out.resolve("table.md"), table, StandardCharsets.UTF_8);
    System.out.println();
    System.out.println(table);
    System.out.printf(
        Locale.ROOT,
        "Suite (%s) took %d s; table in %s%n",
        mode,
        TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started),
        out.resolve("table.md"));
    List<String> missing = report.missing(include.equals(PACKAGE + ".*Benchmark\\..*"), heap);
    if (!missing.isEmpty()) {
      System.err.println("Missing figures: " + missing);
      System.exit(1);
    }
  }

  private static Map<String, RunResult> runJmh(
      String mode, String include, List<String> profilers, Path out) throws RunnerException {
    ChainedOptionsBuilder options =
        new OptionsBuilder()
            .include(include)
            .forks(1)
            .jvmArgs("-Xms1g", "-Xmx1g")
            .shouldFailOnError(true)
            .addProfiler(GCProfiler.class)
            .resultFormat(ResultFormatType.JSON)
            .result(out.resolve("jmh.json").toString());
    if (mode.equals("full")) {
      options
          .warmupIterations(3)
          .warmupTime(TimeValue.seconds(1))
          .measurementIterations(5)
          .measurementTime(TimeValue.seconds(2));
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
          .measurementTime(TimeValue.milliseconds(200));
    }
    for (String profiler : profilers) {
      options.addProfiler(profiler);
    }
    Collection<RunResult> runs = new Runner(options.build()).run();
    Map<String, RunResult> byName = new LinkedHashMap<>();
    for (RunResult run : runs) {
      String name = run.getParams().getBenchmark();
      byName.put(name.substring(PACKAGE.length()), run);
    }
    return byName;
  }

  /** Runs {@link HeapPerKey} once per figure, each in a JVM of its own, and reads the figures. */
  private static Map<String, Double> measureHeap(int keys)
      throws IOException, InterruptedException {
    Map<String, Double> figures = new LinkedHashMap<>();
    for (String figure : List.of("engine.payloadOff", "engine.payloadOn", "handWrittenCaffeine")) {
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

  /** The load average when the run ended, for the machine note. */
  private static String loadNote() {
    try {
      String load = Files.readString(Paths.get("/proc/loadavg")).trim();
      return "load average (1, 5, 15 min) at the end: "
          + String.join(", ", List.of(load.split(" ")).subList(0, 3));
    } catch (IOException | RuntimeException e) {
      return "load average unknown";
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
