package dev.idempotent.benchmarks;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs Redis's own {@code redis-benchmark -t set -c 64 -n N -q} against the benchmarks' server as a
 * child process and reads its requests per second: the figure the engine's 64-caller throughput is
 * set beside. {@code redis-benchmark} writes one key, {@code key:__rand_int__}; it is deleted
 * afterwards unless it existed before.
 */
final class RedisBenchmarkTool {
  private static final String KEY = "key:__rand_int__";
  private static final Pattern RATE =
      Pattern.compile("SET: ([0-9.]+) requests per second", Pattern.MULTILINE);

  private RedisBenchmarkTool() {}

  /**
   * Runs it once.
   *
   * @param requests {@code -n}
   * @return requests per second
   * @throws IllegalStateException when it fails, or prints no rate
   */
  static double setRequestsPerSecond(int requests) throws IOException, InterruptedException {
    RedisURI uri = RedisURI.create(StoreServers.REDIS_URI);
    RedisClient client = RedisClient.create(uri);
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      boolean existed = connection.sync().exists(KEY) > 0;
      List<String> command =
          List.of(
              "redis-benchmark",
              "-h",
              uri.getHost(),
              "-p",
              Integer.toString(uri.getPort()),
              "-t",
              "set",
              "-c",
              Integer.toString(RedisThroughputBenchmark.CALLERS),
              "-n",
              Integer.toString(requests),
              "-q");
      System.out.println("# " + String.join(" ", command));
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output;
      try (InputStream in = process.getInputStream()) {
        output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
        process.destroyForcibly();
        throw new IllegalStateException("redis-benchmark failed: " + output);
      }
      if (!existed) {
        connection.sync().del(KEY);
      }
      // -q redraws its progress line with carriage returns; the last line holds the result.
      Matcher rate = RATE.matcher(output.replace('\r', '\n'));
      String last = null;
      while (rate.find()) {
        last = rate.group(1);
      }
      if (last == null) {
        throw new IllegalStateException("redis-benchmark printed no SET rate: " + output);
      }
      System.out.printf(Locale.ROOT, "# redis-benchmark SET -c 64: %s requests/s%n", last);
      return Double.parseDouble(last);
    } finally {
      client.shutdown();
    }
  }
}
