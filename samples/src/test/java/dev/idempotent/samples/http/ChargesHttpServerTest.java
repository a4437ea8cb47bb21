package dev.idempotent.samples.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.idempotent.IdempotencyEngine;
import dev.idempotent.samples.payments.CardGateway;
import dev.idempotent.store.Acquisition;
import dev.idempotent.store.IdempotencyKey;
import dev.idempotent.store.IdempotencyStore;
import dev.idempotent.store.Outcome;
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
  void stop() throws Exception {
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
    assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElse(""));
    assertTrue(r.body().contains("/idempotency-key-missing\""), r.body());
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
    assertEquals("true", replay.headers().firstValue("Idempotent-Replayed").orElse(""));
    assertEquals("/charges/ch_1", replay.headers().firstValue("Location").orElse(""));
    assertEquals(1, gateway.chargesMade());
  }

  @Test
  void sameKeyWithADifferentBodyIs422() throws Exception {
    send("k-1", BODY);
    HttpResponse<String> r = send("k-1", BODY.replace("42.00", "99.00"));
    assertEquals(422, r.statusCode());
    assertTrue(r.body().contains("/idempotency-key-reused\""), r.body());
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
    assertTrue(duplicate.body().contains("/idempotency-request-in-progress\""), duplicate.body());
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

  @Test
  void storeUnavailableIs503WithRetryAfterAndNothingIsCharged() throws Exception {
    server.close();
    IdempotencyStore down =
        new IdempotencyStore() {
          @Override
          public Acquisition acquire(IdempotencyKey key, String fingerprint, Duration lease) {
            throw new IllegalStateException("store down");
          }

          @Override
          public boolean complete(IdempotencyKey key, String token, Outcome outcome, Duration ttl) {
            throw new IllegalStateException("store down");
          }

          @Override
          public boolean release(IdempotencyKey key, String token) {
            throw new IllegalStateException("store down");
          }

          @Override
          public boolean renew(IdempotencyKey key, String token, Duration lease) {
            throw new IllegalStateException("store down");
          }
        };
    server = new ChargesHttpServer(0, IdempotencyEngine.builder().store(down).build(), gateway);
    HttpResponse<String> r = send("k-1", BODY);
    assertEquals(503, r.statusCode());
    assertTrue(r.headers().firstValue("Retry-After").isPresent());
    assertTrue(r.body().contains("/idempotency-store-unavailable\""), r.body());
    assertEquals(0, gateway.attempts());
  }
}
