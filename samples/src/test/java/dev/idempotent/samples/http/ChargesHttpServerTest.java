package dev.idempotent.samples.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.idempotent.IdempotencyEngine;
import dev.idempotent.samples.payments.CardGateway;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ChargesHttpServerTest {
  private static final String BODY =
      "{\"customer\":\"c-7\",\"amount\":\"42.00\",\"currency\":\"EUR\"}";

  private final CardGateway gateway = new CardGateway();
  private final HttpClient client = HttpClient.newHttpClient();
  private ChargesHttpServer server;

  @BeforeEach
  void start() throws Exception {
    server = new ChargesHttpServer(0, IdempotencyEngine.builder().build(), gateway);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private HttpRequest post(String key, String body) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/charges"))
            .timeout(Duration.ofSeconds(30))
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (key != null) {
      b.header("Idempotency-Key", key);
    }
    return b.build();
  }

  private HttpResponse<String> send(String key, String body) throws Exception {
    return client.send(post(key, body), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void missingKeyIs400() throws Exception {
    HttpResponse<String> r = send(null, BODY);
    assertEquals(400, r.statusCode());
    assertTrue(r.body().contains("Idempotency-Key header is required"));
    assertEquals(0, gateway.chargesMade());
  }

  @Test
  void firstRequestChargesAndAReplayReturnsTheFirstResponse() throws Exception {
    HttpResponse<String> first = send("k-1", BODY);
    HttpResponse<String> replay = send("k-1", BODY);
    assertEquals(201, first.statusCode());
    assertTrue(first.body().contains("\"id\":\"ch_1\""), first.body());
    assertEquals(first.statusCode(), replay.statusCode());
    assertEquals(first.body(), replay.body());
    assertEquals(1, gateway.chargesMade());
  }

  @Test
  void sameKeyWithADifferentBodyIs422() throws Exception {
    send("k-1", BODY);
    HttpResponse<String> r = send("k-1", BODY.replace("42.00", "99.00"));
    assertEquals(422, r.statusCode());
    assertEquals(1, gateway.chargesMade());
  }

  @Test
  void duplicateWhileTheFirstIsInFlightIs409() throws Exception {
    gateway.latency(Duration.ofSeconds(2));
    CompletableFuture<HttpResponse<String>> first =
        client.sendAsync(post("k-1", BODY), HttpResponse.BodyHandlers.ofString());
    while (gateway.attempts() == 0) {
      Thread.sleep(5);
    }
    HttpResponse<String> duplicate = send("k-1", BODY);
    assertEquals(409, duplicate.statusCode());
    assertEquals(201, first.get(30, TimeUnit.SECONDS).statusCode());
    assertEquals(1, gateway.chargesMade());
  }

  @Test
  void gatewayTimeoutIs502AndARetryCharges() throws Exception {
    gateway.timeOutNext(1);
    assertEquals(502, send("k-1", BODY).statusCode());
    assertEquals(201, send("k-1", BODY).statusCode());
    assertEquals(201, send("k-1", BODY).statusCode());
    assertEquals(1, gateway.chargesMade());
  }
}
