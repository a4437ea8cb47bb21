package dev.idempotent.samples.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;

/**
 * Starts the sample on a random port with its real embedded server and drives {@code POST /charges}
 * with {@link HttpClient}, as a client that retries would. The card network is replaced by a
 * gateway that counts charges and can hold the first one while duplicates arrive. Subclasses choose
 * the store by property.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
abstract class ChargesOverHttp {
  private static final int DUPLICATES = 16;

  private final HoldingGateway gateway = new HoldingGateway();
  private final HttpClient http = HttpClient.newHttpClient();
  private ConfigurableApplicationContext application;
  private URI charges;

  /** The command-line arguments that choose this class's store. */
  abstract String[] storeArguments();

  @BeforeAll
  void start() {
    List<String> args = new ArrayList<>(List.of("--server.port=0"));
    args.addAll(List.of(storeArguments()));
    application =
        new SpringApplicationBuilder(PaymentsApplication.class)
            .initializers(
                context ->
                    ((GenericApplicationContext) context)
                        .registerBean(
                            "countingGateway",
                            CardGateway.class,
                            () -> gateway,
                            definition -> definition.setPrimary(true)))
            .run(args.toArray(new String[0]));
    int port = application.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
    charges = URI.create("http://127.0.0.1:" + port + "/charges");
  }

  @AfterAll
  void stop() {
    if (application != null) {
      application.close();
    }
  }

  @Test
  void retryWithTheSameKeyGetsTheFirstReceiptAndChargesOnce() throws Exception {
    String key = UUID.randomUUID().toString();
    int before = gateway.charges();
    HttpResponse<String> first = post(key, "tok_visa", 1250);
    HttpResponse<String> retry = post(key, "tok_visa", 1250);
    assertEquals(201, first.statusCode(), first.body());
    assertEquals(201, retry.statusCode(), retry.body());
    assertTrue(first.body().contains("\"chargeId\":\"ch_test_"), first.body());
    assertEquals(first.body(), retry.body());
    assertEquals(before + 1, gateway.charges());
  }

  @Test
  void differentKeysChargeSeparately() throws Exception {
    int before = gateway.charges();
    HttpResponse<String> a = post(UUID.randomUUID().toString(), "tok_visa", 500);
    HttpResponse<String> b = post(UUID.randomUUID().toString(), "tok_visa", 500);
    assertFalse(a.body().equals(b.body()), a.body());
    assertEquals(before + 2, gateway.charges());
  }

  @Test
  void sameKeyWithAnotherRequestIs422AndChargesNothing() throws Exception {
    String key = UUID.randomUUID().toString();
    assertEquals(201, post(key, "tok_visa", 1000).statusCode());
    int before = gateway.charges();
    HttpResponse<String> reused = post(key, "tok_visa", 9999);
    assertEquals(422, reused.statusCode(), reused.body());
    assertTrue(reused.body().contains("already used"), reused.body());
    assertEquals(before, gateway.charges());
  }

  @Test
  void concurrentDuplicatesWhileTheFirstRunsAllGetItsReceiptAndChargeOnce() throws Exception {
    String key = UUID.randomUUID().toString();
    int before = gateway.charges();
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    gateway.holdNext(entered, release);
    List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
    responses.add(postAsync(key, "tok_amex", 4200));
    assertTrue(entered.await(30, TimeUnit.SECONDS), "the first request never charged");
    for (int i = 1; i < DUPLICATES; i++) {
      responses.add(postAsync(key, "tok_amex", 4200));
    }
    for (CompletableFuture<HttpResponse<String>> response : responses) {
      assertFalse(response.isDone(), "a duplicate was answered while the first still ran");
    }
    release.countDown();
    String body = responses.get(0).get(60, TimeUnit.SECONDS).body();
    for (CompletableFuture<HttpResponse<String>> response : responses) {
      HttpResponse<String> answered = response.get(60, TimeUnit.SECONDS);
      assertEquals(201, answered.statusCode(), answered.body());
      assertEquals(body, answered.body());
    }
    assertEquals(before + 1, gateway.charges());
  }

  @Test
  void refundRouteIsAnsweredFromItsRecordByTheHttpFilter() throws Exception {
    String key = UUID.randomUUID().toString();
    HttpResponse<String> first = refund(key);
    HttpResponse<String> retry = refund(key);
    assertEquals(201, first.statusCode(), first.body());
    assertEquals(201, retry.statusCode(), retry.body());
    assertEquals(first.body(), retry.body());
    assertTrue(
        first.headers().firstValue("Idempotent-Replayed").isEmpty(),
        first.headers().map().toString());
    assertEquals("true", retry.headers().firstValue("Idempotent-Replayed").orElse(null));
    assertEquals(400, refund(null).statusCode(), "a refund without a key was accepted");
  }

  private HttpResponse<String> refund(String key) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(charges.resolve("/refunds"))
            .timeout(Duration.ofSeconds(60))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"chargeId\":\"ch_1\"}"));
    if (key != null) {
      request.header("Idempotency-Key", key);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String key, String card, long cents) throws Exception {
    return postAsync(key, card, cents).get(60, TimeUnit.SECONDS);
  }

  private CompletableFuture<HttpResponse<String>> postAsync(String key, String card, long cents) {
    HttpRequest request =
        HttpRequest.newBuilder(charges)
            .timeout(Duration.ofSeconds(60))
            .header("Idempotency-Key", key)
            .header("Content-Type", "application/json")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "{\"card\":\"" + card + "\",\"amountCents\":" + cents + "}"))
            .build();
    return http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
  }

  /** Counts charges; can hold the next one until the test releases it. Thread-safe. */
  static final class HoldingGateway implements CardGateway {
    private final AtomicInteger charges = new AtomicInteger();
    private final AtomicReference<CountDownLatch[]> hold = new AtomicReference<>();

    /** The next charge counts {@code entered} down, then waits for {@code release}. */
    void holdNext(CountDownLatch entered, CountDownLatch release) {
      hold.set(new CountDownLatch[] {entered, release});
    }

    int charges() {
      return charges.get();
    }

    @Override
    public String charge(ChargeRequest request) {
      int charge = charges.incrementAndGet();
      CountDownLatch[] held = hold.getAndSet(null);
      if (held != null) {
        held[0].countDown();
        try {
          if (!held[1].await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the test never released the charge");
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(e);
        }
      }
      return "ch_test_" + charge;
    }
  }
}
