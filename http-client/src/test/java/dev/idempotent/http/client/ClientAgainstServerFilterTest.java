package dev.idempotent.http.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.idempotent.IdempotencyEngine;
import dev.idempotent.http.server.HttpIdempotency;
import dev.idempotent.http.server.IdempotencyFilter;
import dev.idempotent.http.server.RequestScope;
import dev.idempotent.http.server.Route;
import dev.idempotent.redis.RedisIdempotencyStore;
import dev.idempotent.testing.RequiresServer;
import dev.idempotent.testing.TestServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The client against the server module: {@link IdempotencyFilter} in embedded Jetty, behind a proxy
 * that loses the first response after the charge ran. The charge happens once and the client gets
 * the first response; with two Jetty instances sharing the Redis server on 127.0.0.1:6379 (under a
 * key prefix of this test's own), the retry lands on the other instance.
 */
class ClientAgainstServerFilterTest {
  private static final String REDIS = "redis://127.0.0.1:" + TestServer.REDIS.port();
  private static final String API_KEY = "X-Api-Key";
  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private final AtomicInteger charges = new AtomicInteger();
  private final List<String> chargeResponses = new CopyOnWriteArrayList<>();
  private final CountDownLatch slowChargeStarted = new CountDownLatch(1);
  private final CountDownLatch releaseSlowCharge = new CountDownLatch(1);
  private final List<AttemptEvent> events = new CopyOnWriteArrayList<>();
  private final List<AutoCloseable> closeLast = new ArrayList<>();
  private final String prefix = "idempotent-test-http-client-" + UUID.randomUUID() + ":";
  private boolean usedRedis;

  @AfterEach
  void stop() throws Exception {
    releaseSlowCharge.countDown();
    for (int i = closeLast.size() - 1; i >= 0; i--) {
      closeLast.get(i).close();
    }
    if (usedRedis) {
      RedisClient client = RedisClient.create(REDIS);
      try (StatefulRedisConnection<String, String> connection = client.connect()) {
        List<String> keys = connection.sync().keys(prefix + "*");
        if (!keys.isEmpty()) {
          connection.sync().del(keys.toArray(new String[0]));
        }
      } finally {
        client.shutdown();
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void lostResponseIsRetriedAndTheChargeHappensOnce(Mode mode) throws Exception {
    InetSocketAddress jetty = startJetty(IdempotencyEngine.builder().build());
    LosingProxy proxy = closeLast(new LosingProxy(1, List.of(jetty)));

    HttpResponse<String> response = mode.send(client(), charge(proxy.uri("/charges")));

    assertFirstChargeReplayed(response);
    assertEquals(AttemptDecision.RETRYING, events.get(0).decision());
    assertTrue(events.get(0).failure() instanceof IOException, "the first response was lost");
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  @RequiresServer(TestServer.REDIS)
  void retryLandsOnTheOtherInstanceSharingRedisAndTheChargeHappensOnce(Mode mode) throws Exception {
    InetSocketAddress first = startJetty(redisEngine());
    InetSocketAddress second = startJetty(redisEngine());
    LosingProxy proxy = closeLast(new LosingProxy(1, List.of(first, second)));

    HttpResponse<String> response = mode.send(client(), charge(proxy.uri("/charges")));

    assertFirstChargeReplayed(response);
    assertEquals(List.of(0, 1), proxy.upstreamPerConnection());
  }

  @Test
  @RequiresServer(TestServer.REDIS)
  void okHttpInterceptorRetryLandsOnTheOtherInstanceAndTheChargeHappensOnce() throws Exception {
    InetSocketAddress first = startJetty(redisEngine());
    InetSocketAddress second = startJetty(redisEngine());
    LosingProxy proxy = closeLast(new LosingProxy(1, List.of(first, second)));
    OkHttpClient okHttp =
        new OkHttpClient.Builder()
            .retryOnConnectionFailure(false)
            .addInterceptor(
                OkHttpIdempotencyInterceptor.builder()
                    .timer(new FakeTimer())
                    .listener(events::add)
                    .build())
            .build();
    Request request =
        new Request.Builder()
            .url(proxy.uri("/charges").toString())
            .header(API_KEY, "merchant-1")
            .post(
                RequestBody.create(
                    "{\"amount\":\"42.00\",\"currency\":\"EUR\"}",
                    MediaType.get("application/json")))
            .build();

    try (Response response = okHttp.newCall(request).execute()) {
      assertEquals(1, charges.get(), "the charge ran once");
      assertEquals(201, response.code());
      assertEquals(chargeResponses.get(0), response.body().string());
      assertEquals("true", response.header("Idempotent-Replayed"));
    }
    assertEquals(List.of(0, 1), proxy.upstreamPerConnection());
  }

  @Test
  void duplicateWhileTheFirstRunsGets409AndIsRetriedUntilTheReplay() throws Exception {
    InetSocketAddress jetty = startJetty(IdempotencyEngine.builder().build());
    URI slow = URI.create("http://127.0.0.1:" + jetty.getPort() + "/slow-charges");
    HttpRequest request =
        HttpRequest.newBuilder(charge(slow), (name, value) -> true)
            .header(IdempotentHttpClient.IDEMPOTENCY_KEY, "\"order-7\"")
            .build();
    IdempotentHttpClient client =
        IdempotentHttpClient.builder(HTTP)
            .retryPolicy(
                RetryPolicy.builder()
                    .maxAttempts(100)
                    .backoff(Duration.ofMillis(5), Duration.ofMillis(50))
                    .deadline(Duration.ofSeconds(30))
                    .build())
            .listener(
                event -> {
                  events.add(event);
                  if (event.status() == 409) {
                    releaseSlowCharge.countDown();
                  }
                })
            .build();

    var firstRequest = client.sendAsync(request, HttpResponse.BodyHandlers.ofString());
    assertTrue(slowChargeStarted.await(30, TimeUnit.SECONDS));
    HttpResponse<String> duplicate = client.send(request, HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> first = firstRequest.get(30, TimeUnit.SECONDS);

    assertEquals(201, first.statusCode());
    assertEquals(201, duplicate.statusCode());
    assertEquals(first.body(), duplicate.body());
    assertEquals("true", duplicate.headers().firstValue("Idempotent-Replayed").orElse(null));
    assertEquals(1, charges.get());
    assertTrue(
        events.stream()
            .anyMatch(e -> e.status() == 409 && e.decision() == AttemptDecision.RETRYING),
        "the duplicate met 409 and retried: " + events);
  }

  private void assertFirstChargeReplayed(HttpResponse<String> response) {
    assertEquals(1, charges.get(), "the charge ran once");
    assertEquals(201, response.statusCode());
    assertEquals(chargeResponses.get(0), response.body(), "the client got the first response");
    assertEquals("true", response.headers().firstValue("Idempotent-Replayed").orElse(null));
    assertEquals("/charges/ch_1", response.headers().firstValue("Location").orElse(null));
  }

  private IdempotentHttpClient client() {
    return IdempotentHttpClient.builder(HTTP).timer(new FakeTimer()).listener(events::add).build();
  }

  private static HttpRequest charge(URI uri) {
    return HttpRequest.newBuilder(uri)
        .header(API_KEY, "merchant-1")
        .header("Content-Type", "application/json")
        .timeout(Duration.ofSeconds(30))
        .POST(BodyPublishers.ofString("{\"amount\":\"42.00\",\"currency\":\"EUR\"}"))
        .build();
  }

  private IdempotencyEngine redisEngine() {
    usedRedis = true;
    RedisIdempotencyStore store =
        closeLast(RedisIdempotencyStore.builder(REDIS).keyPrefix(prefix).build());
    return IdempotencyEngine.builder().store(store).build();
  }

  private InetSocketAddress startJetty(IdempotencyEngine engine) throws Exception {
    HttpIdempotency idempotency =
        HttpIdempotency.builder(engine)
            .scope(RequestScope.header(API_KEY))
            .route(Route.post("/charges").build())
            .route(Route.post("/slow-charges").build())
            .build();
    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    context.setContextPath("/");
    context.addFilter(
        new FilterHolder(new IdempotencyFilter(idempotency)),
        "/*",
        EnumSet.of(DispatcherType.REQUEST));
    context.addServlet(new ServletHolder(new Charges()), "/*");
    server.setHandler(context);
    server.start();
    closeLast.add(server::stop);
    return new InetSocketAddress("127.0.0.1", connector.getLocalPort());
  }

  private <T extends AutoCloseable> T closeLast(T resource) {
    closeLast.add(resource);
    return resource;
  }

  /** The payment API: every run of the handler is a charge. */
  private final class Charges extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response)
        throws IOException {
      String body = new String(request.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (request.getRequestURI().equals("/slow-charges")) {
        slowChargeStarted.countDown();
        try {
          if (!releaseSlowCharge.await(30, TimeUnit.SECONDS)) {
            throw new IOException("the test never released the slow charge");
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException(e);
        }
      }
      int charge = charges.incrementAndGet();
      String json = "{\"id\":\"ch_" + charge + "\",\"request\":" + body + "}";
      chargeResponses.add(json);
      response.setStatus(201);
      response.setContentType("application/json");
      response.setHeader("Location", "/charges/ch_" + charge);
      response.getWriter().write(json);
    }
  }
}
