package dev.idempotent.http.server;

import static dev.idempotent.http.server.Wire.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.Test;

/** The JAX-RS feature on Jersey 4 (JDK HTTP server container), and what only JAX-RS has. */
class IdempotencyFeatureTest extends AdapterBehaviourTest {
  private final JerseyApp app = new JerseyApp();
  private JerseyServer server;

  @Override
  void start(HttpIdempotency idempotency) {
    server =
        JerseyServer.start(
            new ResourceConfig().register(app).register(new IdempotencyFeature(idempotency)));
  }

  @Override
  void stop() {
    server.close();
  }

  @Override
  Runs runs() {
    return app.runs;
  }

  @Override
  int port() {
    return server.port();
  }

  @Test
  void responseWithoutABodyIsRecordedAndReplayed() throws Exception {
    HttpResponse<byte[]> first = post(url("/nocontent"), "k-1", BODY);
    HttpResponse<byte[]> replay = post(url("/nocontent"), "k-1", BODY);
    assertEquals(204, first.statusCode());
    assertEquals(204, replay.statusCode());
    assertEquals("nc", replay.headers().firstValue("X-Request-Id").orElse("absent"));
    assertTrue(replay.headers().firstValue("Idempotent-Replayed").isPresent());
    assertEquals(1, runs().of("/nocontent"));
  }
}
