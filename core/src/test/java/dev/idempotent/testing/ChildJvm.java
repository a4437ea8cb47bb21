package dev.idempotent.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A separate JVM running a main class on this test's class path: for multi-process and crash tests.
 * Its standard output and error are collected line by line; {@link #kill()} sends SIGKILL, so the
 * child gets no chance to clean up, as in a real crash.
 */
public final class ChildJvm implements AutoCloseable {
  private final Process process;
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final Thread reader;

  private ChildJvm(Process process) {
    this.process = process;
    this.reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                  lines.add(line);
                }
              } catch (IOException e) {
                lines.add("[ChildJvm] output closed: " + e);
              }
            },
            "child-jvm-output-" + process.pid());
    reader.setDaemon(true);
    reader.start();
  }

  /**
   * Starts {@code mainClass} in a new JVM with the current class path.
   *
   * @param mainClass the class whose {@code main} runs
   * @param jvmOptions options such as {@code -Xmx256m} or {@code -javaagent:...}
   * @param args the program's arguments
   */
  public static ChildJvm start(Class<?> mainClass, List<String> jvmOptions, String... args)
      throws IOException {
    Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
    List<String> command = new ArrayList<>();
    command.add(java.toString());
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-Xshare:auto");
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass.getName());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    return new ChildJvm(builder.start());
  }

  /** Starts {@code mainClass} with no extra JVM options. */
  public static ChildJvm start(Class<?> mainClass, String... args) throws IOException {
    return start(mainClass, List.of(), args);
  }

  /** Every line the child printed so far. */
  public List<String> lines() {
    return List.copyOf(lines);
  }

  /**
   * Waits until the child prints a line matching {@code condition}.
   *
   * @throws AssertionError when it does not within {@code timeout}, or exits first
   */
  public String awaitLine(Predicate<String> condition, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      for (String line : lines) {
        if (condition.test(line)) {
          return line;
        }
      }
      if (!process.isAlive() && !reader.isAlive()) {
        break;
      }
      Thread.sleep(10);
    }
    throw new AssertionError(
        "child "
            + process.pid()
            + " printed no matching line within "
            + timeout
            + "; it printed:\n"
            + String.join("\n", lines));
  }

  /**
   * Waits for the child to exit.
   *
   * @return its exit code
   * @throws AssertionError when it is still running after {@code timeout} (it is then killed)
   */
  public int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(
          "child "
              + process.pid()
              + " did not exit within "
              + timeout
              + "; it printed:\n"
              + String.join("\n", lines));
    }
    reader.join(TimeUnit.SECONDS.toMillis(5));
    return process.exitValue();
  }

  /** Kills the child with SIGKILL and waits until it is gone. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** The child's process id. */
  public long pid() {
    return process.pid();
  }

  /** Whether the child still runs. */
  public boolean isAlive() {
    return process.isAlive();
  }

  /** Kills the child if it still runs. */
  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
      try {
        process.waitFor(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
