package dev.idempotent.http.server;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;

/**
 * A response body as the handler writes it, kept up to a limit. Past the limit nothing is kept (a
 * body is never recorded truncated) and the rest is discarded, so memory stays bounded.
 */
final class BoundedBuffer extends OutputStream {
  private final int limit;
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
  private boolean overflowed;

  BoundedBuffer(int limit) {
    this.limit = limit;
  }

  @Override
  public void write(int b) {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) {
    if (overflowed) {
      return;
    }
    if (bytes.size() + len > limit) {
      overflowed = true;
      bytes.reset();
      return;
    }
    bytes.write(b, off, len);
  }

  /** Whether more than the limit was written. */
  boolean overflowed() {
    return overflowed;
  }

  /** What was written, or nothing when it overflowed. */
  byte[] bytes() {
    return overflowed ? new byte[0] : bytes.toByteArray();
  }

  /** Forgets what was written. */
  void reset() {
    bytes.reset();
    overflowed = false;
  }
}
