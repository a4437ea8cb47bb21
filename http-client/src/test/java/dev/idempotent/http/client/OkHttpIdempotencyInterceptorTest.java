package dev.idempotent.http.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.BufferedSink;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The same policy through OkHttp, against MockWebServer. */
class OkHttpIdempotencyInterceptorTest {
  private static final String KEY = IdempotentHttpClient.IDEMPOTENCY_KEY;
  private static final MediaType JSON = MediaType.get("application/json");

  private final FakeTimer timer = new FakeTimer();
  private final List<AttemptEvent> events = new ArrayList<>();
  private MockWebServer server;

  @BeforeEach
  void startServer() throws IOException {
    server = new MockWebServer();
    server.start(0);
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  private OkHttpClient okHttp(RetryPolicy policy) {
    return new OkHttpClient.Builder()
        // so that every retry seen here is the interceptor's, not OkHttp's own
        .retryOnConnectionFailure(false)
        .addInterceptor(
            OkHttpIdempotencyInterceptor.builder()
                .retryPolicy(policy)
                .timer(timer)
                .random(FakeTimer.fixedRandom(0.5))
                .listener(events::add)
                .build())
        .build();
  }

  private Request post(String body) {
    return new Request.Builder()
        .url(server.url("/charges"))
        .post(RequestBody.create(body, JSON))
        .build();
  }

  private static MockResponse status(int code, String body) {
    return new MockResponse.Builder().code(code).body(body).build();
  }

  private List<RecordedRequest> recorded(int count) throws InterruptedException {
    List<RecordedRequest> requests = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
      assertNotNull(request, "request " + (i + 1) + " of " + count + " arrived");
      requests.add(request);
    }
    return requests;
  }

  @Test
  void postGetsAKeyThatEveryRetryReusesWithTheSameBody() throws Exception {
    server.enqueue(status(503, "busy"));
    server.enqueue(status(500, "oops"));
    server.enqueue(status(201, "charged"));

    try (Response response =
        okHttp(RetryPolicy.defaults()).newCall(post("{\"amount\":1}")).execute()) {
      assertEquals(201, response.code());
      assertEquals("charged", response.body().string());
    }

    List<RecordedRequest> requests = recorded(3);
    String key = requests.get(0).getHeaders().get(KEY);
    assertTrue(key.matches("\"[0-9a-f-]{36}\""), key);
    for (RecordedRequest request : requests) {
      assertEquals(key, request.getHeaders().get(KEY));
      assertEquals("{\"amount\":1}", request.getBody().utf8());
    }
    assertEquals(3, server.getRequestCount());
  }

  @Test
  void clientErrorIsReturnedAtOnce() throws Exception {
    server.enqueue(status(422, "reused key"));
    server.enqueue(status(201, "never"));

    try (Response response = okHttp(RetryPolicy.defaults()).newCall(post("{}")).execute()) {
      assertEquals(422, response.code());
      assertEquals("reused key", response.body().string());
    }
    assertEquals(1, server.getRequestCount());
  }

  @Test
  void retryAfterSetsTheWaitAndEventsCarryTheKeyHash() throws Exception {
    server.enqueue(new MockResponse.Builder().code(429).addHeader("Retry-After", "7").build());
    server.enqueue(status(201, "ok"));

    okHttp(RetryPolicy.defaults()).newCall(post("{}")).execute().close();

    assertEquals(List.of(Duration.ofSeconds(7)), timer.sleeps());
    String key = recorded(1).get(0).getHeaders().get(KEY);
    assertEquals(Attempts.hash(key), events.get(0).keyHash());
    assertEquals(AttemptDecision.RETRYING, events.get(0).decision());
    assertEquals(AttemptDecision.RETURNED, events.get(1).decision());
  }

  @Test
  void connectionDroppedAfterTheBodyWasReadIsRetriedWithTheSameKey() throws Exception {
    server.enqueue(
        new MockResponse.Builder()
            .onResponseStart(new SocketEffect.CloseSocket(true, false, false))
            .build());
    server.enqueue(status(201, "charged"));

    try (Response response = okHttp(RetryPolicy.defaults()).newCall(post("{\"a\":1}")).execute()) {
      assertEquals("charged", response.body().string());
    }

    List<RecordedRequest> requests = recorded(2);
    assertEquals(requests.get(0).getHeaders().get(KEY), requests.get(1).getHeaders().get(KEY));
    assertEquals("{\"a\":1}", requests.get(1).getBody().utf8());
    assertTrue(events.get(0).failure() instanceof IOException);
  }

  @Test
  void unkeyedPostIsNotRetriedOnceItMayHaveReachedTheServer() throws Exception {
    server.enqueue(
        new MockResponse.Builder()
            .onResponseStart(new SocketEffect.CloseSocket(true, false, false))
            .build());
    server.enqueue(status(201, "never"));
    OkHttpClient client = okHttp(RetryPolicy.builder().keyedMethods().build());

    assertThrows(IOException.class, () -> client.newCall(post("{}")).execute());

    assertEquals(1, server.getRequestCount());
    assertEquals(null, recorded(1).get(0).getHeaders().get(KEY));
    assertEquals(List.of(AttemptDecision.UNSAFE_TO_RETRY), decisions());
  }

  @Test
  void keyTheCallerGaveIsSentUnchanged() throws Exception {
    server.enqueue(status(503, "busy"));
    server.enqueue(status(201, "ok"));
    Request request = post("{}").newBuilder().header(KEY, "order-42").build();

    okHttp(RetryPolicy.defaults()).newCall(request).execute().close();

    for (RecordedRequest recorded : recorded(2)) {
      assertEquals(List.of("order-42"), recorded.getHeaders().values(KEY));
    }
  }

  @Test
  void refusedConnectionsAreRetriedThenTheLastIsThrownWithTheEarlierSuppressed() throws Exception {
    Request request =
        new Request.Builder()
            .url("http://127.0.0.1:" + ScriptedServer.closedPort() + "/charges")
            .post(RequestBody.create("{}", JSON))
            .build();

    ConnectException thrown =
        assertThrows(
            ConnectException.class,
            () -> okHttp(RetryPolicy.builder().maxAttempts(3).build()).newCall(request).execute());

    assertEquals(2, thrown.getSuppressed().length);
    assertEquals(
        List.of(
            AttemptDecision.RETRYING, AttemptDecision.RETRYING, AttemptDecision.ATTEMPTS_EXHAUSTED),
        decisions());
  }

  @Test
  void oneShotBodyGetsAKeyButIsSentOnce() throws Exception {
    server.enqueue(status(503, "busy"));
    server.enqueue(status(201, "never"));
    RequestBody oneShot =
        new RequestBody() {
          @Override
          public MediaType contentType() {
            return JSON;
          }

          @Override
          public void writeTo(BufferedSink sink) throws IOException {
            sink.writeUtf8("{}");
          }

          @Override
          public boolean isOneShot() {
            return true;
          }
        };
    Request request = new Request.Builder().url(server.url("/charges")).post(oneShot).build();

    try (Response response = okHttp(RetryPolicy.defaults()).newCall(request).execute()) {
      assertEquals(503, response.code());
    }
    assertEquals(1, server.getRequestCount());
    assertNotNull(recorded(1).get(0).getHeaders().get(KEY));
  }

  @Test
  void installedAsANetworkInterceptorItFailsNamingTheFix() {
    server.enqueue(status(201, "ok"));
    OkHttpClient client =
        new OkHttpClient.Builder()
            .addNetworkInterceptor(OkHttpIdempotencyInterceptor.create())
            .build();

    IllegalStateException thrown =
        assertThrows(IllegalStateException.class, () -> client.newCall(post("{}")).execute());

    assertTrue(thrown.getMessage().contains("addInterceptor"), thrown.getMessage());
  }

  private List<AttemptDecision> decisions() {
    return events.stream().map(AttemptEvent::decision).toList();
  }
}
