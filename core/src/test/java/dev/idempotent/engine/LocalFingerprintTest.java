package dev.idempotent.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.idempotent.IdempotencyEngine;
import dev.idempotent.IdempotencyEvent;
import dev.idempotent.IdempotencyKeyReuseException;
import dev.idempotent.Idempotent;
import dev.idempotent.IdempotentOperation;
import dev.idempotent.InFlight;
import dev.idempotent.PendingCall;
import dev.idempotent.store.CaffeineIdempotencyStore;
import dev.idempotent.store.IdempotencyKey;
import dev.idempotent.store.Outcome;
import dev.idempotent.testing.FakeTicker;
import java.lang.reflect.Method;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The payload check on the default in-memory store, whose fingerprint is a keyed hash of the
 * canonical JSON kept inside the record: every difference the canonical form shows is a key reuse,
 * and equal arguments in new objects replay. The records are public so that their JSON is written
 * by the direct writer, as an application's request records are.
 */
public class LocalFingerprintTest {
  /** A nested record of plain values. */
  public record Customer(String id, String name, String email) {}

  /** A request with a nested record and a BigDecimal. */
  public record Charge(String id, Customer customer, BigDecimal amount, String currency) {}

  private final FakeTicker ticker = new FakeTicker();
  private final CaffeineIdempotencyStore store =
      CaffeineIdempotencyStore.builder().ticker(ticker).executor(Runnable::run).build();
  private final List<IdempotencyEvent> events = new ArrayList<>();
  private final IdempotencyEngine engine =
      IdempotencyEngine.builder().store(store).ticker(ticker).listener(events::add).build();
  private final IdempotentOperation<String> charges =
      engine.operation("payments.charge", String.class).build();
  private final AtomicInteger runs = new AtomicInteger();

  private static Charge charge(String email, String amount, String currency) {
    return new Charge(
        "ch-1", new Customer("cu-1", "Ada Lovelace", email), new BigDecimal(amount), currency);
  }

  private String run(Charge request) {
    return charges.execute("key-1", request, () -> "receipt-" + runs.incrementAndGet());
  }

  @Test
  void equalArgumentsInNewObjectsReplay() {
    String first = run(charge("ada@example.com", "49.90", "EUR"));
    String second = run(charge(new String("ada@example.com"), "49.90", "EUR"));
    assertEquals(first, second);
    assertEquals(1, runs.get());
  }

  @Test
  void everyDifferenceTheCanonicalFormShowsIsKeyReuse() {
    run(charge("ada@example.com", "49.90", "EUR"));
    List<Charge> changed =
        List.of(
            // The scale of a BigDecimal is part of its JSON: 49.9 is not 49.90.
            charge("ada@example.com", "49.9", "EUR"),
            charge("ada@example.com", "49.91", "EUR"),
            charge("ada@example.co", "49.90", "EUR"),
            // U+0141 has the same low byte as 'A': the hash sees whole characters.
            charge("\u0141da@example.com", "49.90", "EUR"),
            charge("ada@example.com", "49.90", "EUR\u0000"),
            charge("ada@example.com", "49.90", null),
            new Charge("ch-1", null, new BigDecimal("49.90"), "EUR"),
            new Charge(
                "ch-1", new Customer("cu-1", "Ada", "Lovelace ada@example.com"), null, "EUR"));
    for (Charge request : changed) {
      assertThrows(IdempotencyKeyReuseException.class, () -> run(request), request.toString());
    }
    assertEquals(1, runs.get());
    assertEquals(
        changed.size(),
        events.stream().filter(e -> e.type() == IdempotencyEvent.Type.KEY_REUSE).count());
  }

  @Test
  void differentArgumentsWhileTheFirstCallRunsAreKeyReuseAtOnce() throws Throwable {
    IdempotentOperation<String> rejecting =
        engine.operation("payments.reject", String.class).onInFlight(InFlight.REJECT).build();
    Object started = rejecting.begin("key-1", "fp-first");
    assertThrows(IdempotencyKeyReuseException.class, () -> rejecting.begin("key-1", "fp-other"));
    ((PendingCall) started).succeeded("done");
    assertEquals("done", rejecting.begin("key-1", "fp-first"));
  }

  @Test
  void payloadsWrittenThroughJacksonAreCheckedToo() {
    IdempotentOperation<String> maps = engine.operation("payments.maps", String.class).build();
    Map<String, Object> payload = Map.of("amount", new BigDecimal("1.0"), "lines", List.of(1, 2));
    String first = maps.execute("k", payload, () -> "ran-" + runs.incrementAndGet());
    assertEquals(
        first,
        maps.execute(
            "k",
            Map.of("lines", List.of(1, 2), "amount", new BigDecimal("1.0")),
            () -> "ran-" + runs.incrementAndGet()));
    assertThrows(
        IdempotencyKeyReuseException.class,
        () ->
            maps.execute(
                "k",
                Map.of("amount", new BigDecimal("1.0"), "lines", List.of(2, 1)),
                () -> "ran-" + runs.incrementAndGet()));
    assertEquals(1, runs.get());
  }

  @Test
  void aFingerprintGivenAsTextThroughTheStoreIsComparedAsText() throws Throwable {
    IdempotencyKey key = IdempotencyKey.of("payments.given", "k");
    String token = store.acquire(key, "sha-of-the-body", Duration.ofMinutes(1)).token();
    store.complete(key, token, Outcome.returned("first"), Duration.ofHours(1));
    IdempotentOperation<String> given = engine.operation("payments.given", String.class).build();
    assertEquals("first", given.begin("k", "sha-of-the-body"));
    assertThrows(IdempotencyKeyReuseException.class, () -> given.begin("k", "another-sha"));
  }

  /** An annotated method, as the adapters call it. */
  static class Payments {
    @Idempotent(keyExpr = "#request.id", ttl = "1h")
    public String charge(Charge request) {
      return "charged";
    }
  }

  @Test
  void annotatedMethodsCompareTheirArgumentsTheSameWay() throws Throwable {
    Method method = Payments.class.getMethod("charge", Charge.class);
    Object started = engine.begin(method, new Object[] {charge("a@example.com", "1.00", "EUR")});
    ((PendingCall) started).succeeded("charged-once");
    assertEquals(
        "charged-once",
        engine.begin(method, new Object[] {charge("a@example.com", "1.00", "EUR")}));
    assertThrows(
        IdempotencyKeyReuseException.class,
        () -> engine.begin(method, new Object[] {charge("a@example.com", "1.000", "EUR")}));
  }

  @Test
  void aStoreReaderSeesThatTheEngineKeptAFingerprint() {
    run(charge("ada@example.com", "49.90", "EUR"));
    var answer =
        store.acquire(IdempotencyKey.of("payments.charge", "key-1"), null, Duration.ofMinutes(1));
    assertEquals("receipt-1", answer.outcome().value());
    assertEquals(true, answer.fingerprint().startsWith("local-hash:"), answer.fingerprint());
  }

  @Test
  void aLoneSurrogateInThePayloadNeverRunsTheBodyTwice() {
    Charge odd = charge("a\uD800@example.com", "1.00", "EUR");
    Charge other = charge("a\uDBFF@example.com", "1.00", "EUR");
    for (Charge request : List.of(odd, odd, other)) {
      try {
        run(request);
      } catch (dev.idempotent.IdempotencyException refusedLoudly) {
        // Jackson may refuse the text; a refusal is loud and runs nothing.
      }
    }
    assertEquals(true, runs.get() <= 1, "ran " + runs.get() + " times");
  }
}
