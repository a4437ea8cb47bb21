package dev.idempotent.http.server;

import static dev.idempotent.http.server.Wire.assertProblem;
import static dev.idempotent.http.server.Wire.post;
import static dev.idempotent.http.server.Wire.request;
import static dev.idempotent.http.server.Wire.send;
import static dev.idempotent.http.server.Wire.text;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.idempotent.IdempotencyEngine;
import dev.idempotent.InFlight;
import dev.idempotent.store.CaffeineIdempotencyStore;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every adapter shares, over real sockets: each subclass starts its container with
 * {@link #idempotency} in front of an application with the same paths ({@link TestApp}, {@link
 * JerseyApp}).
 */
abstract class AdapterBehaviourTest {
  static final String BODY = "{\"amount\":\"42.00\",\"currency\":\"EUR\"}";

  final SwitchableStore store = new SwitchableStore(CaffeineIdempotencyStore.builder().build());

  /** The configuration every adapter test runs with. */
  static HttpIdempotency idempotency(IdempotencyEngine engine) {
    return HttpIdempotency.builder(engine)
        .scope(RequestScope.header(Wire.API_KEY))
        .route(
            Route.post("/charges")
                .recordHeaders("X-Request-Id")
                .fingerprintHeaders("Content-Type")
                .maxRequestBytes(16 * 1024)
                .build())
        .route(Route.post("/slow").build())
        .route(
            Route.post("/slow-wait")
                .onInFlight(InFlight.WAIT)
                .waitTimeout(Duration.ofMillis(200))
                .build())
        .route(
            Route.post("/slow-wait-long")
                .onInFlight(InFlight.WAIT)
                .waitTimeout(Duration.ofSeconds(30))
                .build())
        .route(Route.post("/status/*").recordStatuses(402).build())
        .route(Route.post("/throws").build())
        .route(Route.post("/big/*").maxResponseBytes(64 * 1024).build())
        .route(Route.post("/form").build())
        .route(Route.post("/error/*").build())
        .route(Route.post("/optional").keyRequired(false).build())
        .route(Route.post("/nocontent").recordHeaders("X-Request-Id").build())
        .build();
  }

  /** Starts the container with {@code idempotency} in front of the application. */
  abstract void start(HttpIdempotency idempotency) throws Exception;

  /** Stops the container. */
  abstract void stop() throws Exception;

  /** What the application did. */
  abstract Runs runs();

  /** The container's port. */
  abstract int port();

  String url(String path) {
    return "http://127.0.0.1:" + port() + path;
  }

  @BeforeEach
  void startContainer() throws Exception {
    start(idempotency(IdempotencyEngine.builder().store(store).build()));
  }

  @AfterEach
  void stopContainer() throws Exception {
    runs().release.countDown();
    stop();
  }

  @Test
  void firstRequestRunsAndRetryReplaysTheResponseByteForByte() throws Exception {
    HttpResponse<byte[]> first = post(url("/charges"), "k-1", BODY);
    HttpResponse<byte[]> replay = post(url("/charges"), "k-1", BODY);

    assertEquals(201, first.statusCode());
    assertTrue(first.headers().firstValue("Idempotent-Replayed").isEmpty());
    assertEquals(201, replay.statusCode());
    assertArrayEquals(first.body(), replay.body());
    assertEquals("true", replay.headers().firstValue("Idempotent-Replayed").orElse(null));
    assertTrue(first.headers().firstValue("Location").orElseThrow().endsWith("/charges/ch_1"));
    assertEquals(first.headers().firstValue("Location"), replay.headers().firstValue("Location"));
    assertEquals("req-1", replay.headers().firstValue("X-Request-Id").orElse(null));
    assertEquals(
        first.headers().firstValue("Content-Type"), replay.headers().firstValue("Content-Type"));
    assertTrue(first.headers().firstValue("Set-Cookie").orElseThrow().startsWith("session=1"));
    assertTrue(replay.headers().firstValue("Set-Cookie").isEmpty(), "not on the allow-list");
    assertEquals(1, runs().of("/charges"));
  }

  @Test
  void aBareTokenAndTheSameKeyAsAStructuredFieldStringAreOneKey() throws Exception {
    HttpResponse<byte[]> bare = post(url("/charges"), "8e03978e-40d5-43e8-bc93-6894a57f9324", BODY);
    HttpResponse<byte[]> quoted =
        post(url("/charges"), "\"8e03978e-40d5-43e8-bc93-6894a57f9324\";v=1", BODY);

    assertEquals(201, bare.statusCode());
    assertEquals("true", quoted.headers().firstValue("Idempotent-Replayed").orElse(null));
    assertEquals(1, runs().of("/charges"));
  }

  @Test
  void missingKeyIs400AndNothingRuns() throws Exception {
    assertProblem(post(url("/charges"), null, BODY), IdempotencyProblem.KEY_MISSING);
    assertEquals(0, runs().total());
  }

  @Test
  void keyLongerThanTheLimitIs400() throws Exception {
    String key = "k".repeat(Route.DEFAULT_MAX_KEY_LENGTH + 1);
    assertProblem(post(url("/charges"), key, BODY), IdempotencyProblem.KEY_INVALID);
    assertProblem(post(url("/charges"), '"' + key + '"', BODY), IdempotencyProblem.KEY_INVALID);
    assertEquals(201, post(url("/charges"), key.substring(1), BODY).statusCode());
    assertEquals(1, runs().total());
  }

  @Test
  void malformedStructuredFieldSyntaxIs400() throws Exception {
    for (String key :
        List.of(
            "\"unterminated",
            "\"bad\\escape\"",
            "\"a\" trailing",
            "\"a\";=1",
            "\"a\", \"b\"",
            "two words",
            "\"\"")) {
      assertProblem(post(url("/charges"), key, BODY), IdempotencyProblem.KEY_INVALID);
    }
    assertEquals(0, runs().total());
  }

  @Test
  void keyWithNonAsciiCharactersIs400() throws Exception {
    String answer = Wire.rawPost(port(), "/charges", "Idempotency-Key: caf\u00e9\r\n", BODY);
    assertEquals(400, Wire.status(answer), answer);
    assertEquals(
        HttpIdempotency.DEFAULT_PROBLEM_BASE + IdempotencyProblem.KEY_INVALID.slug(),
        Wire.problemType(answer),
        answer);
    assertEquals(0, runs().total());
  }

  @Test
  void twoKeyHeadersAre400() throws Exception {
    String answer =
        Wire.rawPost(port(), "/charges", "Idempotency-Key: a\r\nIdempotency-Key: b\r\n", BODY);
    assertEquals(400, Wire.status(answer), answer);
    assertTrue(answer.contains(IdempotencyProblem.KEY_INVALID.slug()), answer);
    assertEquals(0, runs().total());
  }

  @Test
  void requestWithoutTheScopeIs400() throws Exception {
    HttpResponse<byte[]> response =
        send(
            java.net.http.HttpRequest.newBuilder(java.net.URI.create(url("/charges")))
                .header("Idempotency-Key", "k-1")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(BODY))
                .build());
    assertProblem(response, IdempotencyProblem.SCOPE_MISSING);
    assertEquals(0, runs().total());
  }

  @Test
  void twoClientsWithTheSameKeyGetTheirOwnResponses() throws Exception {
    HttpResponse<byte[]> one =
        send(request(url("/charges"), "shared", BODY, Wire.API_KEY, "alice"));
    HttpResponse<byte[]> two = send(request(url("/charges"), "shared", BODY, Wire.API_KEY, "bob"));

    assertEquals(201, two.statusCode());
    assertTrue(two.headers().firstValue("Idempotent-Replayed").isEmpty());
    assertFalse(text(one).equals(text(two)));
    assertEquals(2, runs().of("/charges"));
  }

  @Test
  void sameKeyWithAnotherBodyIs422() throws Exception {
    post(url("/charges"), "k-1", BODY);
    assertProblem(
        post(url("/charges"), "k-1", BODY.replace("42.00", "99.00")),
        IdempotencyProblem.KEY_REUSED);
    assertEquals(1, runs().of("/charges"));
  }

  @Test
  void sameKeyWithAnotherQueryOrFingerprintHeaderIs422() throws Exception {
    post(url("/charges"), "k-1", BODY);
    assertProblem(post(url("/charges?amount=5"), "k-1", BODY), IdempotencyProblem.KEY_REUSED);
    assertProblem(
        send(request(url("/charges"), "k-1", BODY, "Content-Type", "text/plain")),
        IdempotencyProblem.KEY_REUSED);
    assertEquals(1, runs().of("/charges"));
  }

  @Test
  void duplicateWhileTheFirstIsInFlightIs409() throws Exception {
    CompletableFuture<HttpResponse<byte[]>> first =
        CompletableFuture.supplyAsync(() -> sendUnchecked(request(url("/slow"), "k-1", BODY)));
    assertTrue(runs().started.await(30, TimeUnit.SECONDS));

    assertProblem(post(url("/slow"), "k-1", BODY), IdempotencyProblem.REQUEST_IN_PROGRESS);
    runs().release.countDown();
    assertEquals(201, first.get(30, TimeUnit.SECONDS).statusCode());
    assertEquals(1, runs().of("/slow"));
  }

  @Test
  void duplicateOnAWaitingRouteGetsTheFirstResponseWhenItArrives() throws Exception {
    CompletableFuture<HttpResponse<byte[]>> first =
        CompletableFuture.supplyAsync(
            () -> sendUnchecked(request(url("/slow-wait-long"), "k-1", BODY)));
    assertTrue(runs().started.await(30, TimeUnit.SECONDS));
    CompletableFuture<HttpResponse<byte[]>> duplicate =
        CompletableFuture.supplyAsync(
            () -> sendUnchecked(request(url("/slow-wait-long"), "k-1", BODY)));
    assertTrue(store.duplicateSeen.await(30, TimeUnit.SECONDS));

    runs().release.countDown();
    HttpResponse<byte[]> answer = duplicate.get(30, TimeUnit.SECONDS);
    assertEquals(201, answer.statusCode());
    assertArrayEquals(first.get(30, TimeUnit.SECONDS).body(), answer.body());
    assertEquals("true", answer.headers().firstValue("Idempotent-Replayed").orElse(null));
    assertEquals(1, runs().of("/slow-wait-long"));
  }

  @Test
  void duplicateOnAWaitingRouteIs409WhenTheWaitTimesOut() throws Exception {
    CompletableFuture<HttpResponse<byte[]>> first =
        CompletableFuture.supplyAsync(() -> sendUnchecked(request(url("/slow-wait"), "k-1", BODY)));
    assertTrue(runs().started.await(30, TimeUnit.SECONDS));

    assertProblem(post(url("/slow-wait"), "k-1", BODY), IdempotencyProblem.REQUEST_IN_PROGRESS);
    runs().release.countDown();
    assertEquals(201, first.get(30, TimeUnit.SECONDS).statusCode());
    assertEquals(1, runs().of("/slow-wait"));
  }

  @Test
  void duplicateWhileTheFirstIsInFlightWithADifferentBodyIs422AtOnce() throws Exception {
    CompletableFuture<HttpResponse<byte[]>> first =
        CompletableFuture.supplyAsync(() -> sendUnchecked(request(url("/slow"), "k-1", BODY)));
    assertTrue(runs().started.await(30, TimeUnit.SECONDS));

    assertProblem(post(url("/slow"), "k-1", "{}"), IdempotencyProblem.KEY_REUSED);
    runs().release.countDown();
    assertEquals(201, first.get(30, TimeUnit.SECONDS).statusCode());
  }

  @Test
  void manyThreadsWithTheSameKeyRunTheHandlerOnce() throws Exception {
    int threads = 24;
    CyclicBarrier barrier = new CyclicBarrier(threads);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<HttpResponse<byte[]>>> answers = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        answers.add(
            pool.submit(
                () -> {
                  barrier.await(30, TimeUnit.SECONDS);
                  return send(request(url("/charges"), "same", BODY));
                }));
      }
      byte[] body = null;
      for (Future<HttpResponse<byte[]>> answer : answers) {
        HttpResponse<byte[]> r = answer.get(60, TimeUnit.SECONDS);
        if (r.statusCode() == 409) {
          continue;
        }
        assertEquals(201, r.statusCode(), () -> text(r));
        if (body == null) {
          body = r.body();
        }
        assertArrayEquals(body, r.body());
      }
      assertEquals(1, runs().of("/charges"));
      HttpResponse<byte[]> after = post(url("/charges"), "same", BODY);
      assertArrayEquals(body, after.body());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void listed4xxIsRecordedAndUnlisted4xxReleasesTheKey() throws Exception {
    HttpResponse<byte[]> declined = post(url("/status/402"), "k-1", BODY);
    HttpResponse<byte[]> again = post(url("/status/402"), "k-1", BODY);
    assertEquals(402, again.statusCode());
    assertArrayEquals(declined.body(), again.body());
    assertEquals("true", again.headers().firstValue("Idempotent-Replayed").orElse(null));
    assertEquals(1, runs().of("/status/402"));

    assertEquals(404, post(url("/status/404"), "k-2", BODY).statusCode());
    HttpResponse<byte[]> retry = post(url("/status/404"), "k-2", BODY);
    assertEquals("run 2", text(retry));
    assertTrue(retry.headers().firstValue("Idempotent-Replayed").isEmpty());
  }

  @Test
  void serverErrorReleasesTheKeySoTheRetryRuns() throws Exception {
    assertEquals(503, post(url("/status/503"), "k-1", BODY).statusCode());
    HttpResponse<byte[]> retry = post(url("/status/503"), "k-1", BODY);
    assertEquals("run 2", text(retry));
    assertEquals(0, store.completions());
  }

  @Test
  void handlerExceptionReleasesTheKeySoTheRetryRuns() throws Exception {
    assertEquals(500, post(url("/throws"), "k-1", BODY).statusCode());
    assertEquals(500, post(url("/throws"), "k-1", BODY).statusCode());
    assertEquals(2, runs().of("/throws"));
    assertEquals(0, store.completions());
  }

  @Test
  void storeUnavailableIs503WithRetryAfterAndNothingRuns() throws Exception {
    store.down(true);
    HttpResponse<byte[]> response = post(url("/charges"), "k-1", BODY);
    assertProblem(response, IdempotencyProblem.STORE_UNAVAILABLE);
    assertEquals("1", response.headers().firstValue("Retry-After").orElse(null));
    assertEquals(0, runs().total());

    store.down(false);
    assertEquals(201, post(url("/charges"), "k-1", BODY).statusCode());
  }

  @Test
  void requestBodyAboveTheLimitIs413AndLeavesNoRecord() throws Exception {
    String huge = "x".repeat(16 * 1024 + 1);
    assertProblem(post(url("/charges"), "k-1", huge), IdempotencyProblem.REQUEST_BODY_TOO_LARGE);
    assertEquals(0, runs().total());
    HttpResponse<byte[]> fits = post(url("/charges"), "k-1", "x".repeat(16 * 1024));
    assertEquals(201, fits.statusCode());
    assertTrue(fits.headers().firstValue("Idempotent-Replayed").isEmpty());
  }

  @Test
  void chunkedRequestBodyAboveTheLimitIs413() throws Exception {
    StringBuilder request =
        new StringBuilder(
            "POST /charges HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                + "X-Api-Key: client-1\r\nIdempotency-Key: k-1\r\nTransfer-Encoding: chunked\r\n\r\n");
    for (int i = 0; i < 20; i++) {
      request.append("400\r\n").append("y".repeat(1024)).append("\r\n");
    }
    request.append("0\r\n\r\n");
    String answer = Wire.raw(port(), request.toString().getBytes());
    assertEquals(413, Wire.status(answer), answer);
    assertEquals(0, runs().total());
  }

  @Test
  void clientThatDisconnectsMidBodyRunsNothingAndLeavesNoRecord() throws Exception {
    String head =
        "POST /charges HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Api-Key: client-1\r\n"
            + "Content-Type: application/json\r\nIdempotency-Key: k-1\r\nContent-Length: "
            + BODY.length()
            + "\r\n\r\n";
    String answer;
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port())) {
      socket.getOutputStream().write((head + BODY.substring(0, 10)).getBytes());
      socket.getOutputStream().flush();
      // the client stops sending mid-body; it can still read what the server says
      socket.shutdownOutput();
      socket.setSoTimeout(30_000);
      answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    }
    assertEquals(400, Wire.status(answer), answer);
    assertEquals(
        HttpIdempotency.DEFAULT_PROBLEM_BASE + IdempotencyProblem.REQUEST_BODY_INCOMPLETE.slug(),
        Wire.problemType(answer),
        answer);
    assertEquals(0, runs().total());
    HttpResponse<byte[]> whole = post(url("/charges"), "k-1", BODY);
    assertEquals(201, whole.statusCode());
    assertTrue(whole.headers().firstValue("Idempotent-Replayed").isEmpty());
    assertEquals(1, runs().of("/charges"));
  }

  @Test
  void responseAboveTheLimitIsNeverTruncatedItIs500AndKeptForTheKey() throws Exception {
    HttpResponse<byte[]> first = post(url("/big/70000"), "k-1", BODY);
    assertProblem(first, IdempotencyProblem.RESPONSE_TOO_LARGE);
    HttpResponse<byte[]> retry = post(url("/big/70000"), "k-1", BODY);
    assertEquals(500, retry.statusCode());
    assertEquals("true", retry.headers().firstValue("Idempotent-Replayed").orElse(null));
    assertArrayEquals(first.body(), retry.body());
    assertEquals(1, runs().of("/big/70000"));

    HttpResponse<byte[]> fits = post(url("/big/65536"), "k-2", BODY);
    assertEquals(200, fits.statusCode());
    assertEquals(65536, fits.body().length);
  }

  @Test
  void routeWithoutRequiredKeyRunsKeylessRequestsUnprotected() throws Exception {
    assertEquals("unprotected run 1", text(post(url("/optional"), null, BODY)));
    assertEquals("unprotected run 2", text(post(url("/optional"), null, BODY)));
    assertEquals("unprotected run 3", text(post(url("/optional"), "k", BODY)));
    assertEquals(
        "true",
        post(url("/optional"), "k", BODY).headers().firstValue("Idempotent-Replayed").orElse(null));
  }

  @Test
  void requestsNoRouteMatchesPassThrough() throws Exception {
    assertEquals("unprotected run 1", text(post(url("/other"), null, BODY)));
    assertEquals("unprotected run 1", text(post(url("/charges/ch_1"), null, BODY)));
    assertEquals(2, runs().total());
  }

  private static HttpResponse<byte[]> sendUnchecked(java.net.http.HttpRequest request) {
    try {
      return send(request);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
