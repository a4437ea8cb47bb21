package dev.idempotent.http.server;

import static dev.idempotent.http.server.Wire.post;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.idempotent.IdempotencyEngine;
import dev.idempotent.redis.RedisIdempotencyStore;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two servers behind a load balancer: two Jetty instances in this JVM, each with its own engine,
 * sharing the Redis server on 127.0.0.1:6379 under a key prefix of this test's own.
 */
class TwoServersOnRedisTest {
  private static final String REDIS = "redis://127.0.0.1:6379";
  private static final String BODY = "{\"amount\":\"42.00\"}";

  private final String prefix = "idempotent-test-http-" + UUID.randomUUID() + ":";
  private final TestApp appA = new TestApp();
  private final TestApp appB = new TestApp();
  private RedisIdempotencyStore storeA;
  private RedisIdempotencyStore storeB;
  private JettyServer serverA;
  private JettyServer serverB;

  @BeforeEach
  void start() throws Exception {
    storeA = RedisIdempotencyStore.builder(REDIS).keyPrefix(prefix).build();
    storeB = RedisIdempotencyStore.builder(REDIS).keyPrefix(prefix).build();
    serverA = start(appA, storeA);
    serverB = start(appB, storeB);
  }

  private static JettyServer start(TestApp app, RedisIdempotencyStore store) throws Exception {
    IdempotencyEngine engine = IdempotencyEngine.builder().store(store).build();
    return JettyServer.start(app, new IdempotencyFilter(AdapterBehaviourTest.idempotency(engine)));
  }

  @AfterEach
  void stop() throws Exception {
    appA.runs.release.countDown();
    serverA.close();
    serverB.close();
    storeA.close();
    storeB.close();
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

  @Test
  void retryOnTheOtherServerReplaysTheFirstResponse() throws Exception {
    HttpResponse<byte[]> first = post(serverA.url("/charges"), "k-1", BODY);
    HttpResponse<byte[]> retry = post(serverB.url("/charges"), "k-1", BODY);

    assertEquals(201, first.statusCode());
    assertEquals(201, retry.statusCode());
    assertArrayEquals(first.body(), retry.body());
    assertEquals("true", retry.headers().firstValue("Idempotent-Replayed").orElse(null));
    assertEquals("/charges/ch_1", retry.headers().firstValue("Location").orElse(null));
    assertEquals("req-1", retry.headers().firstValue("X-Request-Id").orElse(null));
    assertEquals(1, appA.runs.of("/charges"));
    assertEquals(0, appB.runs.total());
  }

  @Test
  void duplicateOnTheOtherServerWhileTheFirstRunsIs409AndReplaysAfterwards() throws Exception {
    CompletableFuture<HttpResponse<byte[]>> first =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return post(serverA.url("/slow"), "k-1", BODY);
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    assertTrue(appA.runs.started.await(30, TimeUnit.SECONDS));

    Wire.assertProblem(
        post(serverB.url("/slow"), "k-1", BODY), IdempotencyProblem.REQUEST_IN_PROGRESS);
    Wire.assertProblem(post(serverB.url("/slow"), "k-1", "{}"), IdempotencyProblem.KEY_REUSED);
    appA.runs.release.countDown();
    HttpResponse<byte[]> done = first.get(30, TimeUnit.SECONDS);
    HttpResponse<byte[]> replay = post(serverB.url("/slow"), "k-1", BODY);
    assertArrayEquals(done.body(), replay.body());
    assertEquals(0, appB.runs.total());
  }

  @Test
  void releasedKeyRunsAgainOnTheOtherServer() throws Exception {
    assertEquals(503, post(serverA.url("/status/503"), "k-1", BODY).statusCode());
    HttpResponse<byte[]> retry = post(serverB.url("/status/503"), "k-1", BODY);
    assertEquals("run 1", Wire.text(retry));
    assertEquals(1, appB.runs.of("/status/503"));
  }
}
