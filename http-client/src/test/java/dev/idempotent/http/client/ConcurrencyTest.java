package dev.idempotent.http.client;

import static dev.idempotent.http.client.ScriptedServer.respond;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** One client shared by many threads: every logical request keeps its own key across its retry. */
class ConcurrencyTest {
  private static final int THREADS = 16;
  private static final int REQUESTS_PER_THREAD = 20;

  @ParameterizedTest
  @EnumSource(Mode.class)
  void concurrentRequestsEachRetryWithTheirOwnKey(Mode mode) throws Exception {
    Map<String, AtomicInteger> seen = new ConcurrentHashMap<>();
    Map<String, String> bodyPerKey = new ConcurrentHashMap<>();
    try (ScriptedServer server =
        new ScriptedServer(
            request -> {
              String key = request.header(IdempotentHttpClient.IDEMPOTENCY_KEY).get(0);
              bodyPerKey.merge(key, request.body(), (first, again) -> first + "|" + again);
              int sighting = seen.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
              return sighting == 1 ? respond(503, "busy") : respond(201, request.body());
            })) {
      IdempotentHttpClient client =
          IdempotentHttpClient.builder(HttpClient.newHttpClient()).timer(new FakeTimer()).build();
      ExecutorService pool = Executors.newFixedThreadPool(THREADS);
      CountDownLatch start = new CountDownLatch(1);
      List<Future<List<String>>> results = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        int thread = t;
        Callable<List<String>> work =
            () -> {
              start.await();
              List<String> mismatches = new ArrayList<>();
              for (int i = 0; i < REQUESTS_PER_THREAD; i++) {
                String body = "{\"thread\":" + thread + ",\"i\":" + i + "}";
                HttpResponse<String> response =
                    mode.send(
                        client,
                        HttpRequest.newBuilder(server.uri("/charges"))
                            .POST(BodyPublishers.ofString(body))
                            .build());
                if (response.statusCode() != 201 || !response.body().equals(body)) {
                  mismatches.add(body + " -> " + response.statusCode() + " " + response.body());
                }
              }
              return mismatches;
            };
        results.add(pool.submit(work));
      }
      start.countDown();
      List<String> mismatches = new ArrayList<>();
      for (Future<List<String>> result : results) {
        mismatches.addAll(result.get(60, TimeUnit.SECONDS));
      }
      pool.shutdown();

      assertEquals(List.of(), mismatches);
      assertEquals(THREADS * REQUESTS_PER_THREAD, seen.size(), "one key per logical request");
      seen.forEach((key, count) -> assertEquals(2, count.get(), "two attempts of " + key));
      bodyPerKey.forEach(
          (key, bodies) -> {
            String[] both = bodies.split("\\|");
            assertEquals(both[0], both[1], "both attempts of one key carry one body");
          });
    }
  }
}
