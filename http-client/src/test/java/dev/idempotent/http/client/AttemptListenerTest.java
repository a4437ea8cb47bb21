package dev.idempotent.http.client;

import static dev.idempotent.http.client.ScriptedServer.respond;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The per-attempt events, and listeners that throw. */
class AttemptListenerTest {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @ParameterizedTest
  @EnumSource(Mode.class)
  void eachAttemptIsReportedWithAHashOfTheKeyNeverTheKeyOrBody(Mode mode) throws Exception {
    FakeTimer timer = new FakeTimer();
    List<AttemptEvent> events = new CopyOnWriteArrayList<>();
    try (ScriptedServer server =
        new ScriptedServer(respond(503, "busy", "Retry-After", "2"), respond(201, "secret-ok"))) {
      IdempotentHttpClient client =
          IdempotentHttpClient.builder(HTTP).timer(timer).listener(events::add).build();
      HttpRequest request =
          HttpRequest.newBuilder(server.uri("/charges"))
              .POST(BodyPublishers.ofString("{\"card\":\"4242\"}"))
              .build();

      mode.send(client, request);

      String key = server.received().get(0).header(IdempotentHttpClient.IDEMPOTENCY_KEY).get(0);
      String keyHash = sha256Prefix(key);
      assertEquals(2, events.size());
      AttemptEvent first = events.get(0);
      assertEquals(1, first.attempt());
      assertEquals("POST", first.method());
      assertEquals(server.uri("/charges"), first.uri());
      assertEquals(keyHash, first.keyHash());
      assertEquals(503, first.status());
      assertNull(first.failure());
      assertEquals(AttemptDecision.RETRYING, first.decision());
      assertEquals(Duration.ofSeconds(2), first.delay());
      AttemptEvent second = events.get(1);
      assertEquals(2, second.attempt());
      assertEquals(keyHash, second.keyHash());
      assertEquals(201, second.status());
      assertEquals(AttemptDecision.RETURNED, second.decision());
      assertEquals(Duration.ZERO, second.delay());
      assertEquals(Duration.ofSeconds(2), second.elapsed());
      for (AttemptEvent event : events) {
        String text = event.toString();
        assertFalse(text.contains(key.replace("\"", "")), "no key in " + text);
        assertFalse(text.contains("4242") || text.contains("secret"), "no body in " + text);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void throwingListenerCannotBreakASend(Mode mode) throws Exception {
    AtomicInteger calls = new AtomicInteger();
    try (ScriptedServer server = new ScriptedServer(respond(500, "down"), respond(201, "ok"))) {
      IdempotentHttpClient client =
          IdempotentHttpClient.builder(HTTP)
              .timer(new FakeTimer())
              .listener(
                  event -> {
                    calls.incrementAndGet();
                    throw new IllegalStateException("listener bug");
                  })
              .build();

      HttpResponse<String> response = mode.send(client, charge(server));

      assertEquals(201, response.statusCode());
      assertEquals(2, calls.get());
    }
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void loggingListenerWritesOneLinePerAttemptWithTheKeyHashNotTheKey(Mode mode) throws Exception {
    Logger logger = Logger.getLogger("dev.idempotent.http.client");
    List<String> lines = new CopyOnWriteArrayList<>();
    Handler capture =
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            lines.add(
                record.getLevel()
                    + " "
                    + java.text.MessageFormat.format(record.getMessage(), record.getParameters()));
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    Level level = logger.getLevel();
    logger.addHandler(capture);
    logger.setLevel(Level.ALL);
    try (ScriptedServer server = new ScriptedServer(respond(500, "down"), respond(201, "ok"))) {
      IdempotentHttpClient client =
          IdempotentHttpClient.builder(HTTP)
              .timer(new FakeTimer())
              .random(FakeTimer.fixedRandom(0.5))
              .listener(AttemptListener.logging())
              .build();

      mode.send(client, charge(server));

      String key = server.received().get(0).header(IdempotentHttpClient.IDEMPOTENCY_KEY).get(0);
      String prefix = "POST " + server.uri("/charges") + " attempt ";
      assertEquals(
          List.of(
              "INFO "
                  + prefix
                  + "1 (key hash "
                  + sha256Prefix(key)
                  + "): status 500 -> RETRYING, delay 50 ms",
              "FINE "
                  + prefix
                  + "2 (key hash "
                  + sha256Prefix(key)
                  + "): status 201 -> RETURNED,"
                  + " delay 0 ms"),
          lines);
    } finally {
      logger.removeHandler(capture);
      logger.setLevel(level);
    }
  }

  private static HttpRequest charge(ScriptedServer server) {
    return HttpRequest.newBuilder(server.uri("/charges"))
        .POST(BodyPublishers.ofString("{}"))
        .build();
  }

  private static String sha256Prefix(String key) throws Exception {
    byte[] digest =
        MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
    return HexFormat.of().formatHex(digest).substring(0, 16);
  }
}
