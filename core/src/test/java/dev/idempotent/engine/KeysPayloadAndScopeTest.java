package dev.idempotent.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.idempotent.ExcludeFromFingerprint;
import dev.idempotent.IdempotencyEngine;
import dev.idempotent.IdempotencyEvent;
import dev.idempotent.IdempotencyKeyException;
import dev.idempotent.IdempotencyKeyReuseException;
import dev.idempotent.Idempotent;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class KeysPayloadAndScopeTest {

  record Charge(String id, BigDecimal amount, String currency) {}

  static final class Service {
    final AtomicInteger runs = new AtomicInteger();

    @Idempotent(keyExpr = "#p0")
    String charge(String key, Charge charge) {
      return "receipt-" + runs.incrementAndGet() + "-" + charge.amount();
    }

    @Idempotent(keyExpr = "#p0", validatePayload = false)
    String chargeUnchecked(String key, Charge charge) {
      return "receipt-" + runs.incrementAndGet() + "-" + charge.amount();
    }

    @Idempotent
    String byAllArguments(Charge charge, @ExcludeFromFingerprint Instant now) {
      return "receipt-" + runs.incrementAndGet();
    }

    @Idempotent(keyExpr = "#p0")
    String withContext(String key, Charge charge, @ExcludeFromFingerprint Runnable callback) {
      return "receipt-" + runs.incrementAndGet();
    }

    @Idempotent(keyExpr = "#p0")
    String other(String key, Charge charge) {
      return "other-" + runs.incrementAndGet();
    }
  }

  private final List<IdempotencyEvent> events = new CopyOnWriteArrayList<>();
  private final RecordingStore store = new RecordingStore(true);
  private final Service service = new Service();

  @Test
  void sameKeyWithDifferentArgumentsIsKeyReuseNamingTheNamespaceNotThePayload() throws Throwable {
    Calls calls = new Calls(IdempotencyEngine.builder().store(store).listener(events::add).build());
    calls.call(service, "charge", "k", new Charge("c1", new BigDecimal("10.00"), "EUR"));
    IdempotencyKeyReuseException e =
        assertThrows(
            IdempotencyKeyReuseException.class,
            () ->
                calls.call(
                    service, "charge", "k", new Charge("c1", new BigDecimal("99.00"), "EUR")));
    assertTrue(
        e.getMessage().contains("'" + Service.class.getName() + ".charge(java.lang.String,"),
        e.getMessage());
    assertFalse(e.getMessage().contains("99"), "the payload stays out of the message");
    assertFalse(e.getMessage().contains("c1"), "the payload stays out of the message");
    assertEquals(1, service.runs.get());
    assertTrue(events.stream().anyMatch(ev -> ev.type() == IdempotencyEvent.Type.KEY_REUSE));
  }

  @Test
  void equalArgumentsInNewObjectsAreTheSamePayload() throws Throwable {
    Calls calls = new Calls(IdempotencyEngine.builder().store(store).build());
    Object first =
        calls.call(service, "charge", "k", new Charge("c1", new BigDecimal("10.00"), "EUR"));
    Object again =
        calls.call(service, "charge", "k", new Charge("c1", new BigDecimal("10.00"), "EUR"));
    assertEquals(first, again);
    assertEquals(1, service.runs.get());
  }

  @Test
  void payloadCheckOffReplaysWhateverTheArguments() throws Throwable {
    Calls calls = new Calls(IdempotencyEngine.builder().store(store).build());
    calls.call(service, "chargeUnchecked", "k", new Charge("c1", BigDecimal.ONE, "EUR"));
    assertEquals(
        "receipt-1-1",
        calls.call(service, "chargeUnchecked", "k", new Charge("c2", BigDecimal.TEN, "USD")));
  }

  @Test
  void emptyKeyExprKeysByAllArgumentsLeavingOutExcludedOnes() throws Throwable {
    Calls calls = new Calls(IdempotencyEngine.builder().store(store).build());
    Charge charge = new Charge("c1", BigDecimal.ONE, "EUR");
    calls.call(service, "byAllArguments", charge, Instant.ofEpochSecond(1));
    calls.call(
        service,
        "byAllArguments",
        new Charge("c1", BigDecimal.ONE, "EUR"),
        Instant.ofEpochSecond(2));
    assertEquals(1, service.runs.get(), "the excluded clock does not change the key");
    calls.call(
        service,
        "byAllArguments",
        new Charge("c1", BigDecimal.TEN, "EUR"),
        Instant.ofEpochSecond(1));
    assertEquals(2, service.runs.get(), "a different charge is a different key");
    String value = store.keys.get(0).value();
    assertEquals(64, value.length(), "SHA-256 hex: " + value);
    assertFalse(value.contains("c1"));
  }

  @Test
  void argumentFingerprintIsStableAcrossEnginesAndFieldOrder() throws Throwable {
    RecordingStore a = new RecordingStore(true);
    RecordingStore b = new RecordingStore(true);
    new Calls(IdempotencyEngine.builder().store(a).build())
        .call(service, "byAllArguments", new Charge("c1", BigDecimal.ONE, "EUR"), Instant.EPOCH);
    new Calls(IdempotencyEngine.builder().store(b).build())
        .call(service, "byAllArguments", new Charge("c1", BigDecimal.ONE, "EUR"), Instant.EPOCH);
    assertEquals(a.keys.get(0), b.keys.get(0));
  }

  @Test
  void excludedParameterMayHoldAFunction() throws Throwable {
    Calls calls = new Calls(IdempotencyEngine.builder().store(store).build());
    calls.call(
        service, "withContext", "k", new Charge("c1", BigDecimal.ONE, "EUR"), (Runnable) () -> {});
    calls.call(
        service, "withContext", "k", new Charge("c1", BigDecimal.ONE, "EUR"), (Runnable) () -> {});
    assertEquals(1, service.runs.get());
  }

  @Test
  void twoMethodsNeverShareAKeyByDefault() throws Throwable {
    Calls calls = new Calls(IdempotencyEngine.builder().store(store).build());
    Charge charge = new Charge("c1", BigDecimal.ONE, "EUR");
    assertEquals("receipt-1-1", calls.call(service, "charge", "k", charge));
    assertEquals("other-2", calls.call(service, "other", "k", charge));
  }

  @Test
  void scopeKeepsTenantsApart() throws Throwable {
    ThreadLocal<String> tenant = new ThreadLocal<>();
    Calls calls = new Calls(IdempotencyEngine.builder().store(store).scope(tenant::get).build());
    Charge charge = new Charge("c1", BigDecimal.ONE, "EUR");
    tenant.set("acme");
    assertEquals("receipt-1-1", calls.call(service, "charge", "order-1", charge));
    tenant.set("globex");
    assertEquals(
        "receipt-2-1", calls.call(service, "charge", "order-1", charge), "another tenant's key");
    tenant.set("acme");
    assertEquals(
        "receipt-1-1", calls.call(service, "charge", "order-1", charge), "acme's own replay");
    assertEquals(2, service.runs.get());
  }

  @Test
  void scopeCannotBeForgedThroughTheKeyValue() throws Throwable {
    ThreadLocal<String> tenant = new ThreadLocal<>();
    Calls calls = new Calls(IdempotencyEngine.builder().store(store).scope(tenant::get).build());
    Charge charge = new Charge("c1", BigDecimal.ONE, "EUR");
    tenant.set("a:b");
    calls.call(service, "charge", "c", charge);
    tenant.set("a");
    calls.call(service, "charge", "b:c", charge);
    assertEquals(2, service.runs.get());
    assertNotEquals(store.keys.get(0), store.keys.get(1));
  }

  @Test
  void missingScopeIsRefusedBeforeTheBodyRuns() {
    Calls calls = new Calls(IdempotencyEngine.builder().store(store).scope(() -> null).build());
    IdempotencyKeyException e =
        assertThrows(
            IdempotencyKeyException.class,
            () -> calls.call(service, "charge", "k", new Charge("c1", BigDecimal.ONE, "EUR")));
    assertTrue(e.getMessage().contains("KeyScope, but it returned no scope"), e.getMessage());
    assertEquals(0, service.runs.get());
  }

  @Test
  void hashedKeysAreBoundedAndCarryNoRawValue() throws Throwable {
    Calls calls = new Calls(IdempotencyEngine.builder().store(store).hashKeys(true).build());
    String longKey = "customer-4711-".repeat(100);
    calls.call(service, "charge", longKey, new Charge("c1", BigDecimal.ONE, "EUR"));
    calls.call(service, "charge", longKey, new Charge("c1", BigDecimal.ONE, "EUR"));
    assertEquals(1, service.runs.get());
    String stored = store.keys.get(0).value();
    assertEquals(43, stored.length(), "SHA-256 in URL-safe Base64 without padding");
    assertFalse(stored.contains("customer"));
  }

  @Test
  void nullKeyValueIsAKeyException() {
    Calls calls = new Calls(IdempotencyEngine.builder().store(store).build());
    assertThrows(
        IdempotencyKeyException.class,
        () -> calls.call(service, "charge", null, new Charge("c1", BigDecimal.ONE, "EUR")));
    assertEquals(0, service.runs.get());
  }

  @Test
  void eventsCarryTheNamespaceAndAKeyHashButNoKey() throws Throwable {
    Calls calls = new Calls(IdempotencyEngine.builder().store(store).listener(events::add).build());
    calls.call(service, "charge", "secret-key-value", new Charge("c1", BigDecimal.ONE, "EUR"));
    calls.call(service, "charge", "secret-key-value", new Charge("c1", BigDecimal.ONE, "EUR"));
    assertEquals(
        List.of(IdempotencyEvent.Type.EXECUTED, IdempotencyEvent.Type.REPLAYED),
        events.stream().map(IdempotencyEvent::type).toList());
    IdempotencyEvent e = events.get(0);
    assertTrue(e.namespace().startsWith(Service.class.getName() + ".charge("));
    assertEquals(16, e.keyHash().length());
    assertEquals(e.keyHash(), events.get(1).keyHash());
    assertFalse(e.toString().contains("secret"));
  }

  @Test
  void throwingListenerCannotBreakACall() throws Throwable {
    Calls calls =
        new Calls(
            IdempotencyEngine.builder()
                .store(store)
                .listener(
                    e -> {
                      throw new IllegalStateException("listener bug");
                    })
                .listener(events::add)
                .build());
    assertEquals(
        "receipt-1-1", calls.call(service, "charge", "k", new Charge("c", BigDecimal.ONE, "EUR")));
    assertEquals(
        "receipt-1-1", calls.call(service, "charge", "k", new Charge("c", BigDecimal.ONE, "EUR")));
    assertEquals(2, events.size(), "later listeners still hear every event");
  }

  @Test
  void mapsInArgumentsFingerprintInKeyOrder() throws Throwable {
    MapService maps = new MapService();
    Calls calls = new Calls(IdempotencyEngine.builder().store(store).build());
    calls.call(maps, "tag", "k", new java.util.LinkedHashMap<>(Map.of("a", 1, "b", 2)));
    java.util.LinkedHashMap<String, Integer> reversed = new java.util.LinkedHashMap<>();
    reversed.put("b", 2);
    reversed.put("a", 1);
    calls.call(maps, "tag", "k", reversed);
    assertEquals(1, maps.runs.get());
  }

  static final class MapService {
    final AtomicInteger runs = new AtomicInteger();

    @Idempotent(keyExpr = "#p0")
    int tag(String key, Map<String, Integer> tags) {
      return runs.incrementAndGet();
    }
  }
}
