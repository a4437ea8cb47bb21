package dev.idempotent.aspectj;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Collects what slf4j-simple (the tests' logger) writes while it is open: it writes every line to
 * {@code System.err} as it is at that moment, so the capture swaps the stream and copies through.
 */
final class CapturedLog implements AutoCloseable {
  private final PrintStream original = System.err;
  private final ByteArrayOutputStream captured = new ByteArrayOutputStream();

  CapturedLog() {
    OutputStream tee =
        new OutputStream() {
          @Override
          public void write(int b) {
            captured.write(b);
            original.write(b);
          }

          @Override
          public void write(byte[] b, int off, int len) {
            captured.write(b, off, len);
            original.write(b, off, len);
          }
        };
    System.setErr(new PrintStream(tee, true, StandardCharsets.UTF_8));
  }

  /** The lines logged at WARN so far. */
  List<String> warnings() {
    return lines().stream().filter(line -> line.contains("WARN")).toList();
  }

  /** Every line logged so far. */
  List<String> lines() {
    System.err.flush();
    return captured.toString(StandardCharsets.UTF_8).lines().toList();
  }

  @Override
  public void close() {
    System.setErr(original);
  }
}
