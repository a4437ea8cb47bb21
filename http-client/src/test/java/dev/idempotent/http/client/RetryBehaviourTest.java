package dev.idempotent.http.client;

import static dev.idempotent.http.client.ScriptedServer.drop;
import static dev.idempotent.http.client.ScriptedServer.hang;
import static dev.idempotent.http.client.ScriptedServer.reset;
import static dev.idempotent.http.client.ScriptedServer.respond;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The retry behaviour over real sockets, each scenario through {@code send} and {@code sendAsync}.
 */
class RetryBehaviourTest {
  private static final String KEY = IdempotentHttpClient.IDEMPOTENCY_KEY;
  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  private final FakeTimer timer = new FakeTimer();
  private final List<AttemptEvent> events = new ArrayList<>();
  private ScriptedServer server;

  @AfterEach
  void closeServer() throws IOException {
    if (server != null) {
      server.close();
    }
  }

  private IdempotentHttpClient client(RetryPolicy policy) {
    return IdempotentHttpClient.builder(HTTP)
        .retryPolicy(policy)
        .timer(timer)
        .random(FakeTimer.fixedRandom(0.5))
        .listener(events::add)
        .build();
  }

  private IdempotentHttpClient client() {
    return client(RetryPolicy.defaults());
  }

  private HttpRequest post(String body) {
    return HttpRequest.newBuilder(server.uri("/charges"))
        .POST(BodyPublishers.ofString(body))
        .build();
  }

  private static HttpRequest postToClosedPort() throws IOException {
    URI nowhere = URI.create("http://127.0.0.1:" + ScriptedServer.closedPort() + "/charges");
    return HttpRequest.newBuilder(nowhere).POST(BodyPublishers.ofString("{}")).build();
  }

  private List<AttemptDecision> decisions() {
    return events.stream().map(AttemptEvent::decision).toList();
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void postGetsAKeyThatEveryRetryReusesWithTheSameBody(Mode mode) throws Exception {
    server =
        new ScriptedServer(
            respond(503, "busy"), respond(500, "oops"), respond(201, "{\"charge\":\"ch_1\"}"));

    HttpResponse<String> response = mode.send(client(), post("{\"amount\":100}"));

    assertEquals(201, response.statusCode());
    assertEquals("{\"charge\":\"ch_1\"}", response.body());
    List<ScriptedServer.Received> received = server.received();
    assertEquals(3, received.size());
    List<String> key = received.get(0).header(KEY);
    assertEquals(1, key.size(), "one Idempotency-Key header");
    assertTrue(
        key.get(0).matches("\"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\""),
        "a quoted random UUID, the draft's Structured Field string: " + key);
    for (ScriptedServer.Received attempt : received) {
      assertEquals(key, attempt.header(KEY));
      assertEquals("{\"amount\":100}", attempt.body());
    }
  }

  @ParameterizedTest
  @CsvSource({"POST, 1", "PATCH, 1", "PUT, 0", "DELETE, 0", "GET, 0", "REPORT, 0"})
  void onlyTheKeyedMethodsGetAKey(String method, int keys) throws Exception {
    server = new ScriptedServer(respond(200, "ok"));
    HttpRequest request =
        HttpRequest.newBuilder(server.uri("/things"))
            .method(method, BodyPublishers.ofString("{}"))
            .build();

    client().send(request, HttpResponse.BodyHandlers.discarding());

    assertEquals(keys, server.received().get(0).header(KEY).size());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void eachLogicalRequestGetsItsOwnKey(Mode mode) throws Exception {
    server = new ScriptedServer(respond(201, "ok"));
    IdempotentHttpClient client = client();
    HttpRequest request = post("{}");

    mode.send(client, request);
    mode.send(client, request);

    List<ScriptedServer.Received> received = server.received();
    assertTrue(!received.get(0).header(KEY).equals(received.get(1).header(KEY)));
  }

  static Stream<Arguments> retriedStatuses() {
    return Arrays.stream(Mode.values())
        .flatMap(
            mode ->
                RetryPolicy.DEFAULT_RETRYABLE_STATUSES.stream()
                    .sorted()
                    .map(status -> Arguments.of(mode, status)));
  }

  @ParameterizedTest(name = "{1} via {0}")
  @MethodSource("retriedStatuses")
  void retryableStatusIsRetriedWithTheSameKey(Mode mode, int status) throws Exception {
    server = new ScriptedServer(respond(status, "again"), respond(200, "done"));

    HttpResponse<String> response = mode.send(client(), post("{}"));

    assertEquals(200, response.statusCode());
    assertEquals("done", response.body());
    assertEquals(2, server.received().size());
    assertEquals(server.received().get(0).header(KEY), server.received().get(1).header(KEY));
    assertEquals(List.of(AttemptDecision.RETRYING, AttemptDecision.RETURNED), decisions());
  }

  static Stream<Arguments> finalStatuses() {
    return Arrays.stream(Mode.values())
        .flatMap(mode -> Stream.of(400, 401, 403, 404, 422).map(s -> Arguments.of(mode, s)));
  }

  @ParameterizedTest(name = "{1} via {0}")
  @MethodSource("finalStatuses")
  void clientErrorIsReturnedAtOnceWithItsBody(Mode mode, int status) throws Exception {
    server = new ScriptedServer(respond(status, "{\"title\":\"no\"}"), respond(200, "never"));

    HttpResponse<String> response = mode.send(client(), post("{}"));

    assertEquals(status, response.statusCode());
    assertEquals("{\"title\":\"no\"}", response.body());
    assertEquals(1, server.received().size());
    assertEquals(List.of(AttemptDecision.RETURNED), decisions());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void callersBodyHandlerSeesOnlyTheResponseThatIsReturned(Mode mode) throws Exception {
    server = new ScriptedServer(respond(503, "busy"), respond(502, "bad"), respond(201, "ok"));
    List<Integer> handled = new CopyOnWriteArrayList<>();
    HttpResponse.BodyHandler<String> counting =
        info -> {
          handled.add(info.statusCode());
          return HttpResponse.BodySubscribers.ofString(UTF_8);
        };

    HttpResponse<String> response = mode.send(client(), post("{}"), counting);

    assertEquals("ok", response.body());
    assertEquals(List.of(201), handled);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void inputStreamPublisherThatOpensAFreshStreamResendsTheWholeBody(Mode mode) throws Exception {
    server = new ScriptedServer(respond(503, "busy"), respond(201, "ok"));
    byte[] body = "{\"amount\":250}".getBytes(UTF_8);
    HttpRequest request =
        HttpRequest.newBuilder(server.uri("/charges"))
            .POST(BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)))
            .build();

    mode.send(client(), request);

    assertEquals(2, server.received().size());
    for (ScriptedServer.Received attempt : server.received()) {
      assertEquals("{\"amount\":250}", attempt.body());
    }
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void oneShotPublisherSendsAnEmptyBodyOnTheRetryAsDocumented(Mode mode) throws Exception {
    server = new ScriptedServer(respond(503, "busy"), respond(201, "ok"));
    ByteArrayInputStream once = new ByteArrayInputStream("{\"amount\":250}".getBytes(UTF_8));
    HttpRequest request =
        HttpRequest.newBuilder(server.uri("/charges"))
            .POST(BodyPublishers.ofInputStream(() -> once))
            .build();

    mode.send(client(), request);

    assertEquals("{\"amount\":250}", server.received().get(0).body());
    assertEquals("", server.received().get(1).body());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void conflictWithoutAKeyIsAnOrdinaryConflictAndNotRetried(Mode mode) throws Exception {
    server = new ScriptedServer(respond(409, "version conflict"), respond(200, "never"));
    HttpRequest put =
        HttpRequest.newBuilder(server.uri("/orders/7")).PUT(BodyPublishers.ofString("{}")).build();

    HttpResponse<String> response = mode.send(client(), put);

    assertEquals(409, response.statusCode());
    assertEquals(1, server.received().size());
    assertEquals(List.of(), server.received().get(0).header(KEY), "PUT gets no key by default");
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void getIsRetriedWithoutAKey(Mode mode) throws Exception {
    server = new ScriptedServer(respond(503, "busy"), respond(200, "fine"));
    HttpRequest get = HttpRequest.newBuilder(server.uri("/charges/ch_1")).GET().build();

    HttpResponse<String> response = mode.send(client(), get);

    assertEquals("fine", response.body());
    assertEquals(2, server.received().size());
    assertEquals(List.of(), server.received().get(1).header(KEY));
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void retryAfterInSecondsSetsTheWait(Mode mode) throws Exception {
    server = new ScriptedServer(respond(429, "slow down", "Retry-After", "7"), respond(201, "ok"));

    mode.send(client(), post("{}"));

    assertEquals(List.of(Duration.ofSeconds(7)), timer.waits());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void retryAfterAsAnHttpDateSetsTheWait(Mode mode) throws Exception {
    String inTwelveSeconds =
        DateTimeFormatter.RFC_1123_DATE_TIME.format(
            timer.now().plusSeconds(12).atOffset(ZoneOffset.UTC));
    server =
        new ScriptedServer(
            respond(503, "maintenance", "Retry-After", inTwelveSeconds), respond(201, "ok"));

    mode.send(client(), post("{}"));

    assertEquals(List.of(Duration.ofSeconds(12)), timer.waits());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void retryAfterIsIgnoredWhenThePolicySaysSo(Mode mode) throws Exception {
    server = new ScriptedServer(respond(429, "slow down", "Retry-After", "7"), respond(201, "ok"));

    mode.send(client(RetryPolicy.builder().honourRetryAfter(false).build()), post("{}"));

    assertEquals(List.of(Duration.ofMillis(50)), timer.waits());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void retryAfterBeyondTheDeadlineReturnsTheResponseWithoutWaiting(Mode mode) throws Exception {
    server = new ScriptedServer(respond(503, "later", "Retry-After", "60"), respond(201, "ok"));

    HttpResponse<String> response =
        mode.send(client(RetryPolicy.builder().deadline(Duration.ofSeconds(10)).build()), post(""));

    assertEquals(503, response.statusCode());
    assertEquals("later", response.body());
    assertEquals(List.of(), timer.waits());
    assertEquals(List.of(AttemptDecision.DEADLINE_EXCEEDED), decisions());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void noAttemptStartsAfterTheDeadline(Mode mode) throws Exception {
    server = new ScriptedServer(respond(503, "busy", "Retry-After", "3"));
    RetryPolicy policy =
        RetryPolicy.builder().maxAttempts(10).deadline(Duration.ofSeconds(10)).build();

    HttpResponse<String> response = mode.send(client(policy), post("{}"));

    // Attempts at 0 s, 3 s, 6 s and 9 s; the next would start at 12 s.
    assertEquals(503, response.statusCode());
    assertEquals(4, server.received().size());
    assertEquals(AttemptDecision.DEADLINE_EXCEEDED, decisions().get(3));
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void lastResponseIsReturnedWithItsBodyWhenAttemptsRunOut(Mode mode) throws Exception {
    server = new ScriptedServer(respond(502, "bad gateway"));

    HttpResponse<String> response =
        mode.send(client(RetryPolicy.builder().maxAttempts(3).build()), post("{}"));

    assertEquals(502, response.statusCode());
    assertEquals("bad gateway", response.body());
    assertEquals(3, server.received().size());
    assertEquals(
        List.of(
            AttemptDecision.RETRYING, AttemptDecision.RETRYING, AttemptDecision.ATTEMPTS_EXHAUSTED),
        decisions());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void backoffDoublesUpToTheMaximumWithFullJitter(Mode mode) throws Exception {
    server = new ScriptedServer(respond(500, "down"));
    RetryPolicy policy =
        RetryPolicy.builder()
            .maxAttempts(6)
            .backoff(Duration.ofMillis(100), Duration.ofMillis(1000))
            .build();

    mode.send(client(policy), post("{}"));

    // The random source answers 0.5: half of 100, 200, 400, 800, then the 1000 ms cap.
    assertEquals(
        List.of(
            Duration.ofMillis(50),
            Duration.ofMillis(100),
            Duration.ofMillis(200),
            Duration.ofMillis(400),
            Duration.ofMillis(500)),
        timer.waits());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void refusedConnectionsAreRetriedThenTheLastIsThrownWithTheEarlierSuppressed(Mode mode)
      throws Exception {
    HttpRequest request = postToClosedPort();

    ConnectException thrown =
        assertThrows(
            ConnectException.class,
            () -> mode.send(client(RetryPolicy.builder().maxAttempts(3).build()), request));

    assertEquals(2, thrown.getSuppressed().length);
    assertEquals(
        List.of(
            AttemptDecision.RETRYING, AttemptDecision.RETRYING, AttemptDecision.ATTEMPTS_EXHAUSTED),
        decisions());
    assertTrue(events.stream().allMatch(e -> e.failure() instanceof ConnectException));
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void refusedConnectionIsRetriedEvenForAnUnkeyedPostSinceNothingWasSent(Mode mode)
      throws Exception {
    HttpRequest request = postToClosedPort();
    RetryPolicy noKeys = RetryPolicy.builder().keyedMethods().maxAttempts(2).build();

    assertThrows(ConnectException.class, () -> mode.send(client(noKeys), request));

    assertEquals(2, events.size());
    assertEquals(null, events.get(0).keyHash());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void resetConnectionIsRetriedWithTheSameKey(Mode mode) throws Exception {
    server = new ScriptedServer(reset(), respond(201, "charged"));

    HttpResponse<String> response = mode.send(client(), post("{\"amount\":5}"));

    assertEquals("charged", response.body());
    assertEquals(2, server.received().size());
    assertEquals(server.received().get(0).header(KEY), server.received().get(1).header(KEY));
    assertTrue(events.get(0).failure() instanceof IOException, "first attempt failed");
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void connectionDroppedAfterTheBodyWasReadIsRetriedWithTheSameKeyAndBody(Mode mode)
      throws Exception {
    server = new ScriptedServer(drop(), respond(201, "charged"));

    HttpResponse<String> response = mode.send(client(), post("{\"amount\":5}"));

    assertEquals(201, response.statusCode());
    List<ScriptedServer.Received> received = server.received();
    assertEquals(2, received.size());
    assertEquals(received.get(0).header(KEY), received.get(1).header(KEY));
    assertEquals("{\"amount\":5}", received.get(1).body());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void responseLostOnItsWayBackIsRetriedOnTheNextServerWithTheSameKey(Mode mode) throws Exception {
    try (ScriptedServer first = new ScriptedServer(respond(201, "from first"));
        ScriptedServer second = new ScriptedServer(respond(201, "from second"));
        LosingProxy proxy = new LosingProxy(1, List.of(first.address(), second.address()))) {
      HttpRequest request =
          HttpRequest.newBuilder(proxy.uri("/charges"))
              .POST(BodyPublishers.ofString("{\"amount\":5}"))
              .build();

      HttpResponse<String> response = mode.send(client(), request);

      assertEquals("from second", response.body());
      assertEquals(List.of(0, 1), proxy.upstreamPerConnection());
      assertEquals(1, first.received().size());
      assertEquals(1, second.received().size());
      assertEquals(first.received().get(0).header(KEY), second.received().get(0).header(KEY));
      assertEquals(first.received().get(0).body(), second.received().get(0).body());
    }
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void unkeyedPostIsNotRetriedOnceItMayHaveReachedTheServer(Mode mode) throws Exception {
    server = new ScriptedServer(drop(), respond(503, "busy"), respond(201, "never"));
    IdempotentHttpClient client = client(RetryPolicy.builder().keyedMethods().build());

    assertThrows(IOException.class, () -> mode.send(client, post("{}")));
    HttpResponse<String> busy = mode.send(client, post("{}"));

    assertEquals(503, busy.statusCode());
    assertEquals(2, server.received().size());
    assertEquals(List.of(), server.received().get(0).header(KEY));
    assertEquals(
        List.of(AttemptDecision.UNSAFE_TO_RETRY, AttemptDecision.UNSAFE_TO_RETRY), decisions());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void keyTheCallerGaveIsSentUnchangedOnEveryAttempt(Mode mode) throws Exception {
    server = new ScriptedServer(respond(503, "busy"), respond(201, "ok"));
    HttpRequest request =
        HttpRequest.newBuilder(server.uri("/charges"))
            .header(KEY, "order-42")
            .POST(BodyPublishers.ofString("{}"))
            .build();

    mode.send(client(), request);

    assertEquals(2, server.received().size());
    for (ScriptedServer.Received attempt : server.received()) {
      assertEquals(List.of("order-42"), attempt.header(KEY));
    }
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void keyOnAMethodThatIsNotKeyedStillMakesItRetryable(Mode mode) throws Exception {
    server = new ScriptedServer(respond(409, "in progress"), respond(200, "done"));
    HttpRequest request =
        HttpRequest.newBuilder(server.uri("/jobs"))
            .header(KEY, "\"job-1\"")
            .method("LAUNCH", BodyPublishers.ofString("{}"))
            .build();

    HttpResponse<String> response = mode.send(client(), request);

    assertEquals(200, response.statusCode());
    assertEquals(2, server.received().size());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void attemptThatTimesOutIsRetriedWithTheSameKey(Mode mode) throws Exception {
    server = new ScriptedServer(hang(), respond(201, "ok"));
    HttpRequest request =
        HttpRequest.newBuilder(server.uri("/charges"))
            .timeout(Duration.ofMillis(300))
            .POST(BodyPublishers.ofString("{}"))
            .build();

    HttpResponse<String> response = mode.send(client(), request);

    assertEquals(201, response.statusCode());
    assertTrue(events.get(0).failure() instanceof HttpTimeoutException);
    assertEquals(server.received().get(0).header(KEY), server.received().get(1).header(KEY));
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  @Timeout(30)
  void deadlineCutsAnAttemptThatHangs(Mode mode) throws Exception {
    server = new ScriptedServer(hang());
    IdempotentHttpClient client =
        IdempotentHttpClient.builder(HTTP)
            .retryPolicy(RetryPolicy.builder().deadline(Duration.ofMillis(400)).build())
            .listener(events::add)
            .build();
    long start = System.nanoTime();

    assertThrows(HttpTimeoutException.class, () -> mode.send(client, post("{}")));

    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertTrue(took.compareTo(Duration.ofSeconds(5)) < 0, "returned by the deadline: " + took);
    assertEquals(List.of(AttemptDecision.DEADLINE_EXCEEDED), decisions());
  }

  static Stream<Arguments> generatedKeys() {
    return Stream.of(
        Arguments.of(KeyFormat.BARE, "charge-8", "charge-8"),
        Arguments.of(KeyFormat.STRUCTURED_STRING, "a \"b\" \\c", "\"a \\\"b\\\" \\\\c\""));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("generatedKeys")
  void generatedKeyIsWrittenInTheChosenFormat(KeyFormat format, String key, String header)
      throws Exception {
    server = new ScriptedServer(respond(201, "ok"));
    IdempotentHttpClient client =
        IdempotentHttpClient.builder(HTTP).keyFormat(format).keyGenerator(request -> key).build();

    client.send(post("{}"), HttpResponse.BodyHandlers.discarding());

    assertEquals(List.of(header), server.received().get(0).header(KEY));
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void requestTheJdkClientRefusesIsThrownAtOnceAndReported(Mode mode) {
    HttpRequest ftp = new FtpRequest();

    assertThrows(IllegalArgumentException.class, () -> mode.send(client(), ftp));

    assertEquals(List.of(AttemptDecision.NOT_RETRYABLE), decisions());
  }

  /** A request no HttpRequest.Builder would build: the JDK client refuses its scheme. */
  private static final class FtpRequest extends HttpRequest {
    @Override
    public Optional<BodyPublisher> bodyPublisher() {
      return Optional.empty();
    }

    @Override
    public String method() {
      return "GET";
    }

    @Override
    public Optional<Duration> timeout() {
      return Optional.empty();
    }

    @Override
    public boolean expectContinue() {
      return false;
    }

    @Override
    public URI uri() {
      return URI.create("ftp://127.0.0.1/file");
    }

    @Override
    public Optional<HttpClient.Version> version() {
      return Optional.empty();
    }

    @Override
    public HttpHeaders headers() {
      return HttpHeaders.of(Map.of(), (name, value) -> true);
    }
  }

  @Test
  void interruptDuringTheBackoffEndsTheSendWithInterruptedException() throws Exception {
    server = new ScriptedServer(respond(503, "busy", "Retry-After", "20"), respond(201, "ok"));
    IdempotentHttpClient client =
        IdempotentHttpClient.builder(HTTP)
            // the listener runs on the sending thread just before the wait
            .listener(event -> Thread.currentThread().interrupt())
            .build();

    try {
      assertThrows(
          InterruptedException.class,
          () -> client.send(post("{}"), HttpResponse.BodyHandlers.ofString()));
    } finally {
      Thread.interrupted();
    }
    assertEquals(1, server.received().size());
  }

  @Test
  void keyGeneratorReturningAControlCharacterFailsNamingTheSetting() throws Exception {
    server = new ScriptedServer(respond(201, "ok"));
    IdempotentHttpClient client =
        IdempotentHttpClient.builder(HTTP).keyGenerator(request -> "bad\nkey").build();

    IllegalArgumentException thrown =
        assertThrows(
            IllegalArgumentException.class,
            () -> client.send(post("{}"), HttpResponse.BodyHandlers.discarding()));

    assertTrue(thrown.getMessage().contains("keyGenerator"), thrown.getMessage());
    assertTrue(thrown.getMessage().contains("U+000A at index 3"), thrown.getMessage());
    assertEquals(0, server.received().size());
  }
}
