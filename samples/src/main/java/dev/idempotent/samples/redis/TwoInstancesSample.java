package dev.idempotent.samples.redis;

import dev.idempotent.IdempotencyEngine;
import dev.idempotent.aspectj.IdempotentAspect;
import dev.idempotent.redis.RedisIdempotencyStore;
import dev.idempotent.samples.payments.CardGateway;
import dev.idempotent.samples.payments.ChargeRequest;
import dev.idempotent.samples.payments.PaymentService;
import dev.idempotent.samples.payments.Receipt;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Two processes, one charge: two JVMs share a Redis store and charge the same payment at the same
 * moment; one runs the charge, the other gets its receipt. Skipped, with a message, when Redis is
 * not reachable.
 */
public final class TwoInstancesSample {
  private TwoInstancesSample() {}

  /**
   * Starts the two instances and compares what they did.
   *
   * @param args optional Redis URI, default {@code redis://127.0.0.1:6379}
   * @return nothing; exits with status 1 when the payment was charged more than once
   */
  public static void main(String[] args) throws Exception {
    String uri = args.length > 0 ? args[0] : "redis://127.0.0.1:6379";
    int charges = run(uri);
    if (charges < 0) {
      return;
    }
    System.exit(charges == 1 ? 0 : 1);
  }

  /**
   * Runs both instances against {@code uri}.
   *
   * @return real charges made by both instances together, or -1 when Redis is not reachable
   */
  static int run(String uri) throws Exception {
    try {
      RedisIdempotencyStore.builder(uri).build().close();
    } catch (RuntimeException unreachable) {
      System.out.println(
          "Redis is not reachable at " + uri + "; skipping the two-instance sample.");
      System.out.println("Start Redis (redis-server --port 6379) and run it again.");
      return -1;
    }
    String prefix = "idempotent-sample:" + UUID.randomUUID() + ":";
    String key = "order-" + UUID.randomUUID().toString().substring(0, 8);
    long startAt = System.currentTimeMillis() + 2_000;
    System.out.println(
        "Two instances share " + uri + " and charge " + key + " at the same moment.");
    List<Process> processes = new ArrayList<>();
    for (String name : List.of("A", "B")) {
      processes.add(
          new ProcessBuilder(
                  Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                  "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                  "-cp",
                  System.getProperty("java.class.path"),
                  Instance.class.getName(),
                  uri,
                  prefix,
                  key,
                  name,
                  Long.toString(startAt))
              .redirectErrorStream(true)
              .start());
    }
    int charges = 0;
    List<String> receipts = new ArrayList<>();
    for (Process p : processes) {
      try (BufferedReader out =
          new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = out.readLine(); line != null; line = out.readLine()) {
          System.out.println("  " + line);
          if (line.startsWith("RESULT ")) {
            String[] parts = line.split(" ");
            receipts.add(parts[1]);
            charges += Integer.parseInt(parts[2]);
          }
        }
      }
      p.waitFor(60, TimeUnit.SECONDS);
    }
    System.out.println();
    System.out.printf("Receipts: %s. Real charges across both instances: %d.%n", receipts, charges);
    return charges;
  }

  /** Removes this run's records, so repeated runs leave nothing behind. */
  private static void deleteKeys(String uri, String prefix) {
    RedisClient client = RedisClient.create(uri);
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      List<String> keys = connection.sync().keys(prefix + "*");
      if (!keys.isEmpty()) {
        connection.sync().del(keys.toArray(new String[0]));
      }
    } finally {
      client.shutdown();
    }
  }

  /** One instance: a woven PaymentService on the shared Redis store. */
  public static final class Instance {
    private Instance() {}

    /**
     * Charges the payment once the agreed moment comes.
     *
     * @param args Redis URI, key prefix, idempotency key, instance name, start time in epoch ms
     */
    public static void main(String[] args) throws Exception {
      String name = args[3];
      try (RedisIdempotencyStore store =
          RedisIdempotencyStore.builder(args[0]).keyPrefix(args[1]).build()) {
        IdempotentAspect.configure(IdempotencyEngine.builder().store(store).build());
        CardGateway gateway = new CardGateway(name + "-ch_");
        gateway.latency(java.time.Duration.ofMillis(500));
        PaymentService payments = new PaymentService(gateway);
        long wait = Long.parseLong(args[4]) - System.currentTimeMillis();
        if (wait > 0) {
          Thread.sleep(wait);
        }
        Receipt receipt =
            payments.charge(new ChargeRequest(args[2], "dora", new BigDecimal("42.00"), "EUR"));
        System.out.printf(
            "instance %s: receipt %s, charges made by this instance: %d%n",
            name, receipt.id(), gateway.chargesMade());
        System.out.printf("RESULT %s %d%n", receipt.id(), gateway.chargesMade());
      }
    }
  }
}
