package dev.idempotent.testing;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A server (or server program) that some tests need: the shared servers on loopback that the store
 * tests talk to, and the {@code redis-server} program that tests start private servers with. Each
 * is probed once per JVM. Point one elsewhere to see the build as a machine without it would run:
 * {@code -Didempotent.test.redis.port=1}, {@code -Didempotent.test.postgresql.port=1}, {@code
 * -Didempotent.test.mariadb.port=1}, {@code -Didempotent.test.redis_programs.path=/nonexistent}.
 */
public enum TestServer {
  /** The shared Redis on 127.0.0.1:6379. */
  REDIS(
      "Redis at 127.0.0.1:%d",
      6379,
      null,
      "redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save \"\" --appendonly no"),
  /** The shared PostgreSQL on 127.0.0.1:5432, database {@code test}, trust authentication. */
  POSTGRESQL(
      "PostgreSQL at 127.0.0.1:%d (database test, trust auth)",
      5432, null, "pg_ctlcluster <version> main start (then: createdb test)"),
  /** The shared MariaDB on 127.0.0.1:3306, user root with an empty password, database test. */
  MARIADB(
      "MariaDB at 127.0.0.1:%d (root, empty password, database test)",
      3306, null, "start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd"),
  /** The {@code redis-server} and {@code redis-cli} programs, for private servers on free ports. */
  REDIS_PROGRAMS(
      "the redis-server and redis-cli programs on PATH",
      0,
      new String[] {"redis-server", "redis-cli"},
      "install Redis (Debian: apt-get install redis-server)");

  private static final Map<TestServer, Boolean> AVAILABLE = new ConcurrentHashMap<>();

  private final String description;
  private final int port;
  private final String[] programs;
  private final String howToStart;

  TestServer(String description, int port, String[] programs, String howToStart) {
    this.description = description;
    this.port = port;
    this.programs = programs;
    this.howToStart = howToStart;
  }

  /** What the server is, in a sentence's words. */
  public String description() {
    return programs != null ? description : String.format(Locale.ROOT, description, port());
  }

  /** A command that starts it on a machine that has it installed. */
  public String howToStart() {
    return howToStart;
  }

  /**
   * The port the tests use for it: the standard one, or {@code -Didempotent.test.<name>.port=N}
   * (for example {@code -Didempotent.test.redis.port=1} to try the build as on a machine without
   * Redis).
   */
  public int port() {
    return Integer.getInteger("idempotent.test." + name().toLowerCase(Locale.ROOT) + ".port", port);
  }

  /** Whether it answers (or is installed); probed once per JVM. */
  public boolean available() {
    return AVAILABLE.computeIfAbsent(this, TestServer::probe);
  }

  private boolean probe() {
    if (programs != null) {
      String path =
          System.getProperty(
              "idempotent.test." + name().toLowerCase(Locale.ROOT) + ".path",
              System.getenv("PATH"));
      for (String program : programs) {
        if (!onPath(program, path)) {
          return false;
        }
      }
      return true;
    }
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port()), 2_000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean onPath(String program, String path) {
    if (path == null) {
      return false;
    }
    for (String dir : path.split(File.pathSeparator)) {
      if (new File(dir, program).canExecute()) {
        return true;
      }
    }
    return false;
  }
}
