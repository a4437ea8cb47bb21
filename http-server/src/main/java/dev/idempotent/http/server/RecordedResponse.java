package dev.idempotent.http.server;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The recorded outcome of one request: the whole response as the client first received it, kept in
 * the idempotency store and replayed byte for byte to every retry with the same key. Its fields are
 * plain values (an int, a map of strings, bytes), so any codec of the engine reads and writes it.
 *
 * <p>Immutable and thread-safe: the constructor copies the headers and the body, and {@link
 * #body()} returns a copy; {@link #writeBodyTo(OutputStream)} writes without copying.
 *
 * @param status the HTTP status, 100 to 599
 * @param headers the recorded headers by name, in the order they were recorded, each with its
 *     values in order; names as the route lists them
 * @param body the body bytes, empty for none
 */
public record RecordedResponse(int status, Map<String, List<String>> headers, byte[] body) {

  /**
   * Copies the headers and the body.
   *
   * @throws IllegalArgumentException when the status is not between 100 and 599
   * @throws NullPointerException when the headers, a header value or the body is null
   */
  public RecordedResponse {
    if (status < 100 || status > 599) {
      throw new IllegalArgumentException(
          "RecordedResponse.status must be an HTTP status between 100 and 599, was " + status);
    }
    Objects.requireNonNull(headers, "headers");
    Map<String, List<String>> copy = new LinkedHashMap<>();
    headers.forEach(
        (name, values) -> copy.put(Objects.requireNonNull(name, "header name"), copyOf(values)));
    headers = Collections.unmodifiableMap(copy);
    body = Objects.requireNonNull(body, "body").clone();
  }

  private static List<String> copyOf(List<String> values) {
    List<String> copy = new ArrayList<>(values.size());
    for (String value : values) {
      copy.add(Objects.requireNonNull(value, "header value"));
    }
    return Collections.unmodifiableList(copy);
  }

  /** A copy of the body bytes. */
  @Override
  public byte[] body() {
    return body.clone();
  }

  /** The number of body bytes. */
  public int bodyLength() {
    return body.length;
  }

  /**
   * Writes the body to {@code out} without copying it.
   *
   * @throws IOException when {@code out} fails
   */
  public void writeBodyTo(OutputStream out) throws IOException {
    out.write(body);
  }

  /**
   * The values of a recorded header, found by name regardless of case.
   *
   * @return the values, empty when the header was not recorded
   */
  public List<String> header(String name) {
    for (Map.Entry<String, List<String>> e : headers.entrySet()) {
      if (e.getKey().equalsIgnoreCase(name)) {
        return e.getValue();
      }
    }
    return List.of();
  }

  /** Equal when status, headers and body bytes are equal. */
  @Override
  public boolean equals(Object other) {
    return other instanceof RecordedResponse r
        && status == r.status
        && headers.equals(r.headers)
        && Arrays.equals(body, r.body);
  }

  /** A hash of the status, the headers and the body bytes. */
  @Override
  public int hashCode() {
    return (31 * status + headers.hashCode()) * 31 + Arrays.hashCode(body);
  }

  /** The status, the headers and the body's length; never the body, which may hold secrets. */
  @Override
  public String toString() {
    return "RecordedResponse[status="
        + status
        + ", headers="
        + headers
        + ", body="
        + body.length
        + " bytes]";
  }
}
