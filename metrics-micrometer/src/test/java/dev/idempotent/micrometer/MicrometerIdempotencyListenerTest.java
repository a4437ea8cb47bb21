package dev.idempotent.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.idempotent.IdempotencyEngine;
import dev.idempotent.IdempotencyEvent;
import dev.idempotent.IdempotencyInProgressException;
import dev.idempotent.IdempotencyKeyReuseException;
import dev.idempotent.IdempotencyStoreException;
import dev.idempotent.micrometer.Payments.Charge;
import dev.idempotent.micrometer.Payments.Receipt;
import dev.idempotent.store.Acquisition;
import dev.idempotent.store.IdempotencyKey;
import dev.idempotent.store.Outcome;
import dev.idempotent.testing.FakeTicker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MicrometerIdempotencyListenerTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final FakeTicker ticker = new FakeTicker();
  private final ScriptedStore store = new ScriptedStore(ticker);
  private final Payments payments = new Payments(ticker, store);
  private final ExecutorService pool = Executors.newSingleThreadExecutor();

  @AfterEach
  void stopPool() {
    pool.shutdownNow();
  }

  private IdempotencyEngine.Builder engine() {
    return IdempotencyEngine.builder()
        .store(store)
        .ticker(ticker)
        .listener(MicrometerIdempotencyListener.create(registry));
  }

  @Test
  void countersAndTimerCountsOfAScriptedRunEqualWhatHappened() throws Throwable {
    IdempotencyEngine engine = engine().build();
    IdempotencyEngine failOpen = engine().failOpen(true).build();
    IdempotencyEngine noRenewal = engine().renewLeases(false).build();

    // payments.charge: two executions, two replays, a key reuse, a fail-closed and a fail-open
    // store failure.
    Charge first = new Charge("k1", "4111111111111111", 1000);
    Receipt receipt = payments.call(engine, "charge", first);
    assertEquals(receipt, payments.call(engine, "charge", first));
    assertEquals(receipt, payments.call(engine, "charge", first));
    assertThrows(
        IdempotencyKeyReuseException.class,
        () -> payments.call(engine, "charge", new Charge("k1", "4111111111111111", 9999)));
    payments.call(engine, "charge", new Charge("k2", "4000056655665556", 500));
    store.down = true;
    assertThrows(
        IdempotencyStoreException.class,
        () -> payments.call(engine, "charge", new Charge("k3", "4000056655665556", 1)));
    payments.call(failOpen, "charge", new Charge("k4", "4000056655665556", 1));
    store.down = false;

    // payments.refund: the body throws, the key is released; the call counts as executed.
    assertThrows(
        IllegalStateException.class,
        () -> payments.call(engine, "refund", new Charge("r1", "4111111111111111", 1000)));

    // payments.capture: another process holds the key; REJECT refuses at once.
    store.acquire(IdempotencyKey.of("payments.capture", "c1"), null, Duration.ofSeconds(30));
    assertThrows(
        IdempotencyInProgressException.class,
        () -> payments.call(engine, "capture", new Charge("c1", "4111111111111111", 1000)));

    // payments.settle: another process holds the key; the duplicate waits 2 s, then replays.
    IdempotencyKey settleKey = IdempotencyKey.of("payments.settle", "s1");
    Acquisition other = store.acquire(settleKey, null, Duration.ofSeconds(30));
    store.gate(settleKey);
    Future<Receipt> waiting =
        pool.submit(
            () -> {
              try {
                return payments.call(engine, "settle", new Charge("s1", "4111111111111111", 7));
              } catch (Throwable t) {
                throw new AssertionError(t);
              }
            });
    store.awaitPoll();
    ticker.advance(Duration.ofSeconds(2));
    Receipt settled = new Receipt("s1", "from-the-other-process");
    store.complete(settleKey, other.token(), Outcome.returned(settled), Duration.ofHours(1));
    store.releasePoll();
    assertEquals(settled, waiting.get(10, TimeUnit.SECONDS));

    // jobs.nightly: the body outlives its lease and is taken over; its completion is stale.
    payments.call(noRenewal, "nightly", new Charge("n1", "4111111111111111", 1));

    assertEquals(2, calls("payments.charge", "executed"));
    assertEquals(2, calls("payments.charge", "replayed"));
    assertEquals(1, calls("payments.charge", "key_reuse"));
    assertEquals(1, calls("payments.charge", "fail_open"));
    assertEquals(0, calls("payments.charge", "rejected"));
    assertEquals(2, counter("store.failures", "payments.charge"));
    assertEquals(1, calls("payments.refund", "executed"));
    assertEquals(1, calls("payments.capture", "rejected"));
    assertEquals(0, calls("payments.capture", "executed"));
    assertEquals(1, calls("payments.settle", "replayed"));
    assertEquals(0, calls("payments.settle", "executed"));
    assertEquals(1, counter("stale.completions", "jobs.nightly"));
    assertEquals(0, calls("jobs.nightly", "executed"));
    for (String namespace :
        Set.of("payments.charge", "payments.refund", "payments.capture", "payments.settle")) {
      assertEquals(0, counter("stale.completions", namespace), namespace);
    }

    Timer waits = timer("waits", "payments.settle");
    assertEquals(1, waits.count());
    assertEquals(2.0, waits.totalTime(TimeUnit.SECONDS), 1e-9, "the fake ticker moved 2 s");
    assertEquals(0, timer("waits", "payments.charge").count());

    // Five acquires answered for charge (the two failed ones are not timed), one each for refund,
    // capture and nightly, two polls for settle.
    assertEquals(5, storeOperations("payments.charge", "acquire"));
    assertEquals(2, storeOperations("payments.charge", "complete"));
    assertEquals(0, storeOperations("payments.charge", "release"));
    assertEquals(1, storeOperations("payments.refund", "acquire"));
    assertEquals(1, storeOperations("payments.refund", "release"));
    assertEquals(0, storeOperations("payments.refund", "complete"));
    assertEquals(1, storeOperations("payments.capture", "acquire"));
    assertEquals(2, storeOperations("payments.settle", "acquire"));
    assertEquals(1, storeOperations("jobs.nightly", "acquire"));
    assertEquals(1, storeOperations("jobs.nightly", "complete"));
  }

  @Test
  void tagsCarryTheNamespaceAndNeverAKeySoMeterCountDoesNotGrowWithKeys() throws Throwable {
    IdempotencyEngine engine = engine().build();
    payments.call(engine, "charge", new Charge("key-0", "4111111111111111", 1));
    int meters = registry.getMeters().size();
    for (int i = 1; i <= 50; i++) {
      payments.call(engine, "charge", new Charge("key-" + i, "4111111111111111", 1));
    }
    assertEquals(meters, registry.getMeters().size());
    assertEquals(51, calls("payments.charge", "executed"));
    Set<String> tagKeys = new TreeSet<>();
    for (Meter meter : registry.getMeters()) {
      for (Tag tag : meter.getId().getTags()) {
        tagKeys.add(tag.getKey());
        assertTrue(!tag.getValue().startsWith("key-"), "a key in a tag: " + meter.getId());
      }
    }
    assertEquals(Set.of("namespace", "operation", "result"), tagKeys);
  }

  @Test
  void metersOfANamespaceAreRegisteredAtZeroOnItsFirstEvent() throws Throwable {
    payments.call(engine().build(), "charge", new Charge("k1", "4111111111111111", 1));
    Set<String> names = new TreeSet<>();
    registry.getMeters().forEach(meter -> names.add(meter.getId().getName()));
    assertEquals(
        Set.of(
            "idempotent.calls",
            "idempotent.waits",
            "idempotent.stale.completions",
            "idempotent.store.failures",
            "idempotent.store.operations"),
        names);
    assertEquals(0, counter("stale.completions", "payments.charge"));
    assertEquals(0, counter("store.failures", "payments.charge"));
    assertEquals(11, registry.getMeters().size(), "5 call results, 3 operations, 3 more meters");
  }

  @Test
  void prefixAndCommonTagsApplyToEveryMeter() {
    MicrometerIdempotencyListener listener =
        MicrometerIdempotencyListener.builder(registry)
            .prefix("shop.idem")
            .tags("service", "checkout")
            .tags(Set.of(Tag.of("store", "caffeine")))
            .build();
    listener.onEvent(new IdempotencyEvent(IdempotencyEvent.Type.REPLAYED, "ns", "k", 0, null));
    for (Meter meter : registry.getMeters()) {
      assertTrue(meter.getId().getName().startsWith("shop.idem."), meter.getId().getName());
      assertEquals("checkout", meter.getId().getTag("service"));
      assertEquals("caffeine", meter.getId().getTag("store"));
      assertEquals("ns", meter.getId().getTag("namespace"));
    }
    assertEquals(
        1,
        registry
            .get("shop.idem.calls")
            .tag("namespace", "ns")
            .tag("result", "replayed")
            .counter()
            .count());
  }

  @Test
  void namespacesPastTheBoundShareTheOverflowTag() {
    MicrometerIdempotencyListener listener =
        MicrometerIdempotencyListener.builder(registry).maxNamespaces(2).build();
    for (String namespace : new String[] {"a", "b", "c", "d", "a"}) {
      listener.onEvent(
          new IdempotencyEvent(IdempotencyEvent.Type.EXECUTED, namespace, "k", 0, null));
    }
    assertEquals(2, calls("a", "executed"));
    assertEquals(1, calls("b", "executed"));
    assertEquals(2, calls(MicrometerIdempotencyListener.OVERFLOW_NAMESPACE, "executed"));
    assertTrue(registry.find("idempotent.calls").tag("namespace", "c").counters().isEmpty());
  }

  @Test
  void storeTimersRecordTheEventsDurationAndTheListenerAsksForTimings() {
    MicrometerIdempotencyListener listener = MicrometerIdempotencyListener.create(registry);
    assertTrue(listener.wantsTimings());
    listener.onEvent(
        new IdempotencyEvent(IdempotencyEvent.Type.STORE_ACQUIRE, "ns", "k", 3_000_000, null));
    listener.onEvent(
        new IdempotencyEvent(IdempotencyEvent.Type.STORE_COMPLETE, "ns", "k", 5_000_000, null));
    listener.onEvent(
        new IdempotencyEvent(IdempotencyEvent.Type.STORE_RELEASE, "ns", "k", 7_000_000, null));
    assertEquals(3.0, storeTimer("ns", "acquire").totalTime(TimeUnit.MILLISECONDS), 1e-9);
    assertEquals(5.0, storeTimer("ns", "complete").totalTime(TimeUnit.MILLISECONDS), 1e-9);
    assertEquals(7.0, storeTimer("ns", "release").totalTime(TimeUnit.MILLISECONDS), 1e-9);
  }

  @Test
  void builderRefusesSettingsThatWouldBreakTheMeters() {
    MicrometerIdempotencyListener.Builder builder = MicrometerIdempotencyListener.builder(registry);
    assertThrows(IllegalArgumentException.class, () -> builder.prefix(" "));
    assertThrows(IllegalArgumentException.class, () -> builder.tags("namespace", "x"));
    assertThrows(IllegalArgumentException.class, () -> builder.maxNamespaces(0));
    assertThrows(NullPointerException.class, () -> MicrometerIdempotencyListener.create(null));
  }

  private long calls(String namespace, String result) {
    Counter counter =
        registry
            .get("idempotent.calls")
            .tag("namespace", namespace)
            .tag("result", result)
            .counter();
    return (long) counter.count();
  }

  private long counter(String name, String namespace) {
    return (long) registry.get("idempotent." + name).tag("namespace", namespace).counter().count();
  }

  private Timer timer(String name, String namespace) {
    return registry.get("idempotent." + name).tag("namespace", namespace).timer();
  }

  private Timer storeTimer(String namespace, String operation) {
    return registry
        .get("idempotent.store.operations")
        .tag("namespace", namespace)
        .tag("operation", operation)
        .timer();
  }

  private long storeOperations(String namespace, String operation) {
    return storeTimer(namespace, operation).count();
  }
}
