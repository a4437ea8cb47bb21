package dev.idempotent.http.server;

import java.io.IOException;

/** One request as an adapter hands it to {@link HttpIdempotency}: the view plus query and body. */
interface Exchange extends RequestView {

  /** The raw query string without {@code ?}, or null. */
  String query();

  /**
   * Reads the whole request body.
   *
   * @param limit the largest body accepted
   * @throws BodyTooLarge when the body (or its declared length) is larger than {@code limit}
   * @throws IOException when the body does not arrive whole
   */
  byte[] readBody(int limit) throws IOException;

  /** A body larger than the route accepts. */
  final class BodyTooLarge extends IOException {
    private static final long serialVersionUID = 1L;

    BodyTooLarge() {
      super("request body larger than the route's maxRequestBytes", null);
    }
  }
}
