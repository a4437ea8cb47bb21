package dev.idempotent.samples.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.idempotent.IdempotencyEngine;
import dev.idempotent.IdempotencyInProgressException;
import dev.idempotent.IdempotencyKeyReuseException;
import dev.idempotent.IdempotencyStoreException;
import dev.idempotent.IdempotentOperation;
import dev.idempotent.InFlight;
import dev.idempotent.samples.payments.CardGateway;
import dev.idempotent.samples.payments.GatewayTimeoutException;
import dev.idempotent.samples.payments.Receipt;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * {@code POST /charges} with an {@code Idempotency-Key} header, on the JDK's built-in HTTP server,
 * mapped as the IETF Idempotency-Key draft says:
 *
 * <ul>
 *   <li>no key: 400;
 *   <li>first request: the charge, 201 with the receipt;
 *   <li>a replay: the first response, status and body;
 *   <li>a duplicate while the first is in flight: 409;
 *   <li>the same key with a different body: 422;
 *   <li>the gateway times out: 502, and the key is released so a retry charges.
 * </ul>
 *
 * The whole HTTP response is the recorded outcome, so a replay is byte-for-byte the first answer.
 */
public final class ChargesHttpServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The recorded outcome of one request: the response to send. */
  public record Reply(int status, String body) {}

  private final HttpServer server;
  private final IdempotentOperation<Reply> charges;
  private final CardGateway gateway;

  /**
   * Starts the server.
   *
   * @param port the port, or 0 for any free one
   * @param engine the engine whose store keeps the replies
   * @param gateway the card gateway
   */
  public ChargesHttpServer(int port, IdempotencyEngine engine, CardGateway gateway)
      throws IOException {
    this.gateway = gateway;
    this.charges =
        engine
            .operation("http POST /charges", Reply.class)
            .ttl(Duration.ofHours(24))
            .onInFlight(InFlight.REJECT)
            .build();
    this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
    server.createContext("/charges", this::handle);
    server.setExecutor(Executors.newFixedThreadPool(8));
    server.start();
  }

  /** The port the server listens on. */
  public int port() {
    return server.getAddress().getPort();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!"POST".equals(exchange.getRequestMethod())) {
        send(exchange, new Reply(405, error("use POST")));
        return;
      }
      String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
      if (key == null || key.isBlank()) {
        send(exchange, new Reply(400, error("the Idempotency-Key header is required")));
        return;
      }
      JsonNode body;
      try (InputStream in = exchange.getRequestBody()) {
        body = JSON.readTree(in);
      } catch (IOException e) {
        send(exchange, new Reply(400, error("the body is not JSON")));
        return;
      }
      send(exchange, charge(key, body));
    }
  }

  private Reply charge(String key, JsonNode body) {
    try {
      return charges.execute(key, body, () -> chargeOnce(body));
    } catch (IdempotencyInProgressException e) {
      return new Reply(409, error("a request with this Idempotency-Key is still being processed"));
    } catch (IdempotencyKeyReuseException e) {
      return new Reply(422, error("this Idempotency-Key was used with a different request body"));
    } catch (GatewayTimeoutException e) {
      return new Reply(502, error("the card network timed out; nothing was charged, retry"));
    } catch (IdempotencyStoreException e) {
      return new Reply(503, error("idempotency store unavailable; nothing was charged, retry"));
    }
  }

  private Reply chargeOnce(JsonNode body) {
    Receipt receipt =
        gateway.charge(
            body.path("customer").asText(),
            new BigDecimal(body.path("amount").asText("0")),
            body.path("currency").asText());
    return new Reply(201, JSON.valueToTree(receipt).toString());
  }

  private static String error(String message) {
    return JSON.valueToTree(Map.of("error", message)).toString();
  }

  private static void send(HttpExchange exchange, Reply reply) throws IOException {
    byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(reply.status(), bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  /** Stops the server. */
  @Override
  public void close() {
    server.stop(0);
    ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
  }

  /**
   * Runs the server on port 8080 (or the first argument) with the default Caffeine engine.
   *
   * @param args optional port
   */
  public static void main(String[] args) throws IOException {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 8080;
    ChargesHttpServer server =
        new ChargesHttpServer(port, IdempotencyEngine.builder().build(), new CardGateway());
    System.out.println(
        "POST http://127.0.0.1:" + server.port() + "/charges with an Idempotency-Key header");
  }
}
