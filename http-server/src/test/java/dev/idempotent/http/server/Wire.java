package dev.idempotent.http.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Sends requests to a test server over real sockets and reads answers. */
final class Wire {
  static final String API_KEY = "X-Api-Key";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  private Wire() {}

  /** A POST with a key (or none), the client's API key, a body and further header pairs. */
  static HttpRequest request(String url, String key, String body, String... headers) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(30))
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (key != null) {
      b.header("Idempotency-Key", key);
    }
    b.header(API_KEY, "client-1");
    for (int i = 0; i < headers.length; i += 2) {
      b.setHeader(headers[i], headers[i + 1]);
    }
    return b.build();
  }

  static HttpResponse<byte[]> send(HttpRequest request) throws IOException, InterruptedException {
    return CLIENT.send(request, HttpResponse.BodyHandlers.ofByteArray());
  }

  static HttpResponse<byte[]> post(String url, String key, String body) throws Exception {
    return send(request(url, key, body));
  }

  static String text(HttpResponse<byte[]> response) {
    return new String(response.body(), StandardCharsets.UTF_8);
  }

  /** Asserts a problem response: status, media type, and type URI. */
  static JsonNode assertProblem(HttpResponse<byte[]> response, IdempotencyProblem problem)
      throws IOException {
    assertEquals(problem.status(), response.statusCode(), () -> text(response));
    assertEquals(
        "application/problem+json",
        response.headers().firstValue("Content-Type").orElse(null),
        "Content-Type");
    JsonNode body = JSON.readTree(response.body());
    assertEquals(
        HttpIdempotency.DEFAULT_PROBLEM_BASE + problem.slug(), body.path("type").asText(), "type");
    assertEquals(problem.status(), body.path("status").asInt(), "status member");
    assertEquals(problem.title(), body.path("title").asText(), "title");
    assertTrue(body.path("detail").asText().length() > 10, "detail");
    assertTrue(response.headers().firstValue("Idempotent-Replayed").isEmpty(), "not a replay");
    return body;
  }

  /**
   * Writes raw bytes to the server (for what HTTP clients refuse to send) and reads one answer: its
   * head, and as many body bytes as its Content-Length says, or up to the end of the connection.
   */
  static String raw(int port, byte[] request) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      out.write(request);
      out.flush();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream answer = new ByteArrayOutputStream();
      int headEnd = -1;
      int b;
      while (headEnd < 0 && (b = in.read()) != -1) {
        answer.write(b);
        if (answer.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
          headEnd = answer.size();
        }
      }
      String head = answer.toString(StandardCharsets.ISO_8859_1);
      java.util.regex.Matcher length =
          java.util.regex.Pattern.compile("(?i)\r\ncontent-length: *(\\d+)").matcher(head);
      if (length.find()) {
        answer.write(in.readNBytes(Integer.parseInt(length.group(1))));
      } else {
        in.transferTo(answer);
      }
      return answer.toString(StandardCharsets.ISO_8859_1);
    }
  }

  /** A raw POST with one header line for the key, written as given (bytes in ISO-8859-1). */
  static String rawPost(int port, String path, String keyLine, String body) throws IOException {
    String request =
        "POST "
            + path
            + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
            + API_KEY
            + ": client-1\r\nContent-Type: application/json\r\n"
            + keyLine
            + "Content-Length: "
            + body.getBytes(StandardCharsets.ISO_8859_1).length
            + "\r\n\r\n"
            + body;
    return raw(port, request.getBytes(StandardCharsets.ISO_8859_1));
  }

  /** The status of a raw answer. */
  static int status(String raw) {
    return Integer.parseInt(raw.substring(9, 12));
  }

  /** The problem type in a raw answer's body. */
  static String problemType(String raw) throws IOException {
    return JSON.readTree(raw.substring(raw.indexOf("\r\n\r\n") + 4)).path("type").asText();
  }
}
