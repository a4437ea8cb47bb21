package dev.idempotent.benchmarks;

import dev.idempotent.IdempotencyEngine;
import dev.idempotent.IdempotentOperation;
import dev.idempotent.redis.Durability;
import dev.idempotent.redis.RedisIdempotencyStore;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What {@link Durability} costs, one caller: the Redis store through the engine on a master with
 * one replica, without durability, waiting for the replica after completions only, and after both
 * acquire and complete, side by side in one trial on the same servers. The trial starts its own
 * {@code redis-server} master and replica on free loopback ports (the shared server on 6379 has no
 * replica) and stops them at the end. A first call is two round trips without durability, three
 * with {@code completionsOnly()}, four with both; a duplicate is one round trip in every mode.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class RedisDurabilityBenchmark {
  private final List<Process> servers = new ArrayList<>();
  private final List<Path> directories = new ArrayList<>();
  private final List<RedisIdempotencyStore> stores = new ArrayList<>();
  private IdempotentOperation<Receipt> plain;
  private IdempotentOperation<Receipt> completions;
  private IdempotentOperation<Receipt> durable;
  private Keys keys;
  private long sequence;

  /** Starts the master and its replica, waits for the replica's sync, and primes the hit keys. */
  @Setup(Level.Trial)
  public void setUp() throws IOException, InterruptedException {
    int master = startServer();
    startServer("--replicaof", "127.0.0.1", Integer.toString(master));
    awaitReplica("redis://127.0.0.1:" + master);
    String uri = "redis://127.0.0.1:" + master;
    plain = operation(uri, "plain:", Durability.none());
    Durability wait = Durability.replicas(1, Duration.ofSeconds(2));
    completions = operation(uri, "completions:", wait.completionsOnly());
    durable = operation(uri, "durable:", wait);
    keys = new Keys("order");
    for (PlaceOrder cmd : keys.all()) {
      plain.execute(cmd.id(), () -> Receipt.accept(cmd));
      durable.execute(cmd.id(), () -> Receipt.accept(cmd));
    }
  }

  /** Closes the stores and stops both servers. */
  @TearDown(Level.Trial)
  public void tearDown() throws InterruptedException {
    for (RedisIdempotencyStore store : stores) {
      store.close();
    }
    for (Process server : servers) {
      server.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
    for (Path directory : directories) {
      try (Stream<Path> files = Files.walk(directory)) {
        files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
      } catch (IOException leftOver) {
        // a leftover temporary directory is harmless
      }
    }
  }

  private IdempotentOperation<Receipt> operation(String uri, String prefix, Durability durability) {
    RedisIdempotencyStore store =
        RedisIdempotencyStore.builder(uri).keyPrefix(prefix).durability(durability).build();
    stores.add(store);
    return IdempotencyEngine.builder()
        .store(store)
        .build()
        .operation("orders.place", Receipt.class)
        .ttl(RedisStoreBenchmark.TTL)
        .build();
  }

  private int startServer(String... extraArgs) throws IOException, InterruptedException {
    int port = freePort();
    Path dir = Files.createTempDirectory("idempotent-bench-redis-");
    directories.add(dir);
    List<String> command =
        new ArrayList<>(
            List.of(
                "redis-server",
                "--port",
                Integer.toString(port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--repl-diskless-sync-delay",
                "0",
                "--dir",
                dir.toString()));
    command.addAll(List.of(extraArgs));
    servers.add(
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("redis.log").toFile())
            .start());
    awaitAnswer("redis://127.0.0.1:" + port);
    return port;
  }

  private static void awaitAnswer(String uri) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      RedisClient client = RedisClient.create(uri);
      try (StatefulRedisConnection<String, String> connection = client.connect()) {
        connection.sync().ping();
        return;
      } catch (RuntimeException notYet) {
        if (System.nanoTime() - deadline > 0) {
          throw new IllegalStateException("redis-server at " + uri + " did not answer", notYet);
        }
      } finally {
        client.shutdown();
      }
      Thread.sleep(20);
    }
  }

  private static void awaitReplica(String masterUri) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    RedisClient client = RedisClient.create(masterUri);
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      while (!connection.sync().info("replication").contains("state=online")) {
        if (System.nanoTime() - deadline > 0) {
          throw new IllegalStateException("the replica of " + masterUri + " did not come online");
        }
        Thread.sleep(20);
      }
    } finally {
      client.shutdown();
    }
  }

  private static int freePort() throws IOException {
    for (int attempt = 0; attempt < 100; attempt++) {
      int candidate = 20_000 + ThreadLocalRandom.current().nextInt(30_000);
      try (ServerSocket socket = new ServerSocket()) {
        socket.bind(new InetSocketAddress("127.0.0.1", candidate));
        return candidate;
      } catch (IOException taken) {
        // try another
      }
    }
    throw new IOException("no free port found");
  }

  private PlaceOrder fresh() {
    return PlaceOrder.withId("first-" + sequence++);
  }

  /** A first call without durability: acquire script, body, complete script. */
  @Benchmark
  public Object firstCallPlain() {
    PlaceOrder cmd = fresh();
    return plain.execute(cmd.id(), () -> Receipt.accept(cmd));
  }

  /** A first call that waits for the replica after the completion: one {@code WAIT}. */
  @Benchmark
  public Object firstCallCompletionsOnly() {
    PlaceOrder cmd = fresh();
    return completions.execute(cmd.id(), () -> Receipt.accept(cmd));
  }

  /**
   * A first call that waits for the replica after acquire and after complete: two {@code WAIT}s.
   */
  @Benchmark
  public Object firstCallDurable() {
    PlaceOrder cmd = fresh();
    return durable.execute(cmd.id(), () -> Receipt.accept(cmd));
  }

  /** A duplicate without durability: one acquire script that finds the completed record. */
  @Benchmark
  public Object hitPlain() {
    PlaceOrder cmd = keys.next();
    return plain.execute(cmd.id(), () -> Receipt.accept(cmd));
  }

  /**
   * A duplicate with durability: the same, since a script that writes nothing waits for nothing.
   */
  @Benchmark
  public Object hitDurable() {
    PlaceOrder cmd = keys.next();
    return durable.execute(cmd.id(), () -> Receipt.accept(cmd));
  }
}
