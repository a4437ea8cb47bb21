package dev.idempotent.redis;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A {@code redis-server} this test starts as a child process on a free port, with no persistence,
 * so it can be stopped and restarted without touching the shared server on 6379. Its working
 * directory and log live in a temporary directory.
 */
final class PrivateRedis implements AutoCloseable {
  private final int port;
  private final Path dir;
  private final List<String> command;
  private Process process;

  private PrivateRedis(int port, Path dir, List<String> command) {
    this.port = port;
    this.dir = dir;
    this.command = List.copyOf(command);
    // A test JVM that exits without closing (a crash, a timeout) must not leave servers behind.
    Runtime.getRuntime().addShutdownHook(new Thread(this::close, "stop-redis-" + port));
  }

  /** Starts a server on a free port and waits until it answers. */
  static PrivateRedis start(String... extraArgs) throws IOException, InterruptedException {
    int port = freePort();
    Path dir = Files.createTempDirectory("idempotent-redis-");
    List<String> command = new ArrayList<>(List.of("redis-server"));
    command.addAll(commonArgs(port, dir));
    command.addAll(List.of("--save", "", "--appendonly", "no"));
    command.addAll(List.of(extraArgs));
    PrivateRedis redis = new PrivateRedis(port, dir, command);
    redis.startProcess();
    return redis;
  }

  /**
   * Starts a Sentinel on a free port that monitors {@code master} under the name {@code
   * masterName}, and waits until it answers.
   */
  static PrivateRedis startSentinel(PrivateRedis master, String masterName)
      throws IOException, InterruptedException {
    return startSentinel(master, masterName, 1, 30_000);
  }

  /** Starts a server on a free port that replicates {@code master}, and waits until it answers. */
  static PrivateRedis startReplicaOf(PrivateRedis master, String... extraArgs)
      throws IOException, InterruptedException {
    List<String> args =
        new ArrayList<>(List.of("--replicaof", "127.0.0.1", Integer.toString(master.port())));
    args.addAll(List.of(extraArgs));
    return start(args.toArray(new String[0]));
  }

  /**
   * Starts one of several Sentinels on a free port that monitor {@code master} under {@code
   * masterName}: a failover needs {@code quorum} of them to agree that the master is down, which
   * each concludes after {@code downAfterMillis} without an answer.
   */
  static PrivateRedis startSentinel(
      PrivateRedis master, String masterName, int quorum, long downAfterMillis)
      throws IOException, InterruptedException {
    int port = freePort();
    Path dir = Files.createTempDirectory("idempotent-sentinel-");
    Path config = dir.resolve("sentinel.conf");
    Files.writeString(
        config,
        String.join(
            "\n",
            "sentinel monitor " + masterName + " 127.0.0.1 " + master.port() + " " + quorum,
            "sentinel down-after-milliseconds " + masterName + " " + downAfterMillis,
            "sentinel failover-timeout " + masterName + " 10000",
            "sentinel parallel-syncs " + masterName + " 1",
            ""));
    List<String> command =
        new ArrayList<>(List.of("redis-server", config.toString(), "--sentinel"));
    command.addAll(commonArgs(port, dir));
    PrivateRedis sentinel = new PrivateRedis(port, dir, command);
    sentinel.startProcess();
    return sentinel;
  }

  private static List<String> commonArgs(int port, Path dir) {
    return List.of(
        "--port",
        Integer.toString(port),
        "--bind",
        "127.0.0.1",
        "--daemonize",
        "no",
        "--dir",
        dir.toString(),
        "--logfile",
        dir.resolve("redis.log").toString());
  }

  /** The server's port. */
  int port() {
    return port;
  }

  /** The URI Lettuce connects to. */
  String uri() {
    return "redis://127.0.0.1:" + port;
  }

  /** Stops the server (SIGTERM; it saves nothing) and waits until its port is closed. */
  void stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
  }

  /** Kills the server with SIGKILL ({@code kill -9 <pid>}), as a crash would, and waits for it. */
  void kill() throws IOException, InterruptedException {
    run(List.of("kill", "-9", Long.toString(process.pid())));
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new IOException("redis-server on port " + port + " survived kill -9");
    }
  }

  /** Whether the server's process runs. */
  boolean alive() {
    return process != null && process.isAlive();
  }

  /** Starts the server again on the same port, empty. */
  void restart() throws IOException, InterruptedException {
    startProcess();
  }

  /**
   * Starts the server again on the same port, empty, as a replica of {@code master}: as an operator
   * brings a crashed master back after a failover.
   */
  void restartAsReplicaOf(PrivateRedis master) throws IOException, InterruptedException {
    List<String> asReplica = new ArrayList<>(command);
    asReplica.addAll(List.of("--replicaof", "127.0.0.1", Integer.toString(master.port())));
    startProcess(asReplica);
  }

  /** Runs a command with {@code redis-cli} against this server and returns its output. */
  String cli(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("redis-cli", "-p", Integer.toString(port)));
    command.addAll(List.of(args));
    return run(command);
  }

  /**
   * The number of calls of one command the server counted since its start ({@code INFO
   * commandstats}); 0 when none.
   */
  long commandCalls(String command) throws IOException, InterruptedException {
    String prefix = "cmdstat_" + command + ":calls=";
    for (String line : cli("INFO", "commandstats").split("\\R")) {
      if (line.startsWith(prefix)) {
        String rest = line.substring(prefix.length());
        return Long.parseLong(rest.substring(0, rest.indexOf(',')));
      }
    }
    return 0;
  }

  /**
   * How many error answers of one kind the server gave since its start ({@code INFO errorstats},
   * {@code errorstat_MOVED:count=12}); 0 when none.
   */
  long errorCount(String kind) throws IOException, InterruptedException {
    String prefix = "errorstat_" + kind + ":count=";
    for (String line : cli("INFO", "errorstats").split("\\R")) {
      if (line.startsWith(prefix)) {
        return Long.parseLong(line.substring(prefix.length()).trim());
      }
    }
    return 0;
  }

  /** Kills the server if it runs. */
  @Override
  public synchronized void close() {
    if (process != null && process.isAlive()) {
      try {
        process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    deleteDirectory();
  }

  private void deleteDirectory() {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      // a leftover temporary directory is harmless
    }
  }

  static String run(List<String> command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException(command + " failed: " + out);
    }
    return out;
  }

  private void startProcess() throws IOException, InterruptedException {
    startProcess(command);
  }

  private void startProcess(List<String> command) throws IOException, InterruptedException {
    process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("stdout.log").toFile())
            .start();
    awaitAnswer(Duration.ofSeconds(20));
  }

  private void awaitAnswer(Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException(
            "redis-server on port "
                + port
                + " exited: "
                + Files.readString(dir.resolve("redis.log")));
      }
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
        OutputStream out = socket.getOutputStream();
        out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        byte[] answer = socket.getInputStream().readNBytes(7);
        if (new String(answer, StandardCharsets.US_ASCII).equals("+PONG\r\n")) {
          return;
        }
      } catch (IOException notYet) {
        // the server is still starting
      }
      Thread.sleep(20);
    }
    throw new IOException("redis-server on port " + port + " did not answer within " + timeout);
  }

  /**
   * A port that is free, and whose cluster bus port (10000 higher) is free and valid too, so the
   * same choice serves a cluster node.
   */
  private static int freePort() {
    for (int attempt = 0; attempt < 1000; attempt++) {
      int candidate = 20_000 + ThreadLocalRandom.current().nextInt(30_000);
      if (free(candidate) && free(candidate + 10_000)) {
        return candidate;
      }
    }
    throw new IllegalStateException("no free port pair found");
  }

  private static boolean free(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(false);
      socket.bind(new InetSocketAddress("127.0.0.1", port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
