package dev.idempotent.http.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/** Reads request bodies up to a limit. */
final class Bodies {
  private Bodies() {}

  /**
   * Reads {@code in} to its end.
   *
   * @param declaredLength the Content-Length, or -1 when unknown
   * @throws Exchange.BodyTooLarge when the declared or the actual length exceeds {@code limit}
   * @throws IOException when the stream ends early or fails
   */
  static byte[] read(InputStream in, long declaredLength, int limit) throws IOException {
    if (declaredLength > limit) {
      throw new Exchange.BodyTooLarge();
    }
    ByteArrayOutputStream body =
        new ByteArrayOutputStream(declaredLength >= 0 ? (int) declaredLength : 256);
    byte[] buffer = new byte[8192];
    long total = 0;
    int n;
    while ((n = in.read(buffer)) != -1) {
      total += n;
      if (total > limit) {
        throw new Exchange.BodyTooLarge();
      }
      body.write(buffer, 0, n);
    }
    if (declaredLength >= 0 && total != declaredLength) {
      throw new IOException(
          "the request body ended after " + total + " of " + declaredLength + " declared bytes");
    }
    return body.toByteArray();
  }
}
