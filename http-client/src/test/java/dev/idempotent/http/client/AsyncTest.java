package dev.idempotent.http.client;

import static dev.idempotent.http.client.ScriptedServer.respond;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What only the async path has: waits without a blocked thread, cancellation, failure shape. */
class AsyncTest {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @Test
  void waitsBetweenAttemptsOnTheDelayedExecutorAndNeverSleeps() throws Exception {
    FakeTimer timer = new FakeTimer();
    try (ScriptedServer server =
        new ScriptedServer(respond(503, "busy"), respond(503, "busy"), respond(201, "ok"))) {
      IdempotentHttpClient client =
          IdempotentHttpClient.builder(HTTP)
              .timer(timer)
              .random(FakeTimer.fixedRandom(1.0 - Math.ulp(1.0)))
              .build();

      HttpResponse<String> response =
          client
              .sendAsync(post(server.uri("/charges")), BodyHandlers.ofString())
              .get(10, TimeUnit.SECONDS);

      assertEquals(201, response.statusCode());
      assertEquals(List.of(), timer.sleeps());
      assertEquals(2, timer.delays().size());
    }
  }

  @Test
  void retryRunsOnTheWrappedClientsExecutor() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    FakeTimer timer = new FakeTimer();
    try (ScriptedServer server = new ScriptedServer(respond(503, "busy"), respond(201, "ok"))) {
      IdempotentHttpClient client =
          IdempotentHttpClient.builder(
                  HttpClient.newBuilder()
                      .version(HttpClient.Version.HTTP_1_1)
                      .executor(pool)
                      .build())
              .timer(timer)
              .build();

      HttpResponse<String> response =
          client
              .sendAsync(post(server.uri("/charges")), BodyHandlers.ofString())
              .get(10, TimeUnit.SECONDS);

      assertEquals(201, response.statusCode());
      assertEquals(List.of(pool), timer.executors());
    } finally {
      pool.shutdown();
    }
  }

  @Test
  void cancellingDuringTheBackoffStopsTheRetries() throws Exception {
    FakeTimer timer = new FakeTimer().holdDelayedTasks();
    try (ScriptedServer server = new ScriptedServer(respond(503, "busy"), respond(201, "ok"))) {
      IdempotentHttpClient client = IdempotentHttpClient.builder(HTTP).timer(timer).build();

      CompletableFuture<HttpResponse<String>> response =
          client.sendAsync(post(server.uri("/charges")), BodyHandlers.ofString());
      Runnable retry = timer.heldTask().get(10, TimeUnit.SECONDS);
      assertTrue(response.cancel(true));
      retry.run();

      assertThrows(CancellationException.class, response::join);
      assertEquals(1, server.received().size(), "no attempt after the cancel");
    }
  }

  @Test
  void failureCompletesTheFutureWithTheIoExceptionItself() throws Exception {
    URI nowhere = URI.create("http://127.0.0.1:" + ScriptedServer.closedPort() + "/charges");
    IdempotentHttpClient client =
        IdempotentHttpClient.builder(HTTP)
            .timer(new FakeTimer())
            .retryPolicy(RetryPolicy.builder().maxAttempts(2).build())
            .build();

    ExecutionException thrown =
        assertThrows(
            ExecutionException.class,
            () -> client.sendAsync(post(nowhere), BodyHandlers.ofString()).get());

    assertInstanceOf(java.net.ConnectException.class, thrown.getCause());
    assertEquals(1, thrown.getCause().getSuppressed().length);
  }

  private static HttpRequest post(URI uri) {
    return HttpRequest.newBuilder(uri)
        .timeout(Duration.ofSeconds(10))
        .POST(BodyPublishers.ofString("{}"))
        .build();
  }
}
