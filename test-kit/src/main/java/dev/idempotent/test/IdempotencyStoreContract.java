package dev.idempotent.test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.idempotent.IdempotencyDefinitionException;
import dev.idempotent.IdempotencyEngine;
import dev.idempotent.IdempotencyKeyException;
import dev.idempotent.IdempotentOperation;
import dev.idempotent.store.Acquisition;
import dev.idempotent.store.IdempotencyKey;
import dev.idempotent.store.IdempotencyStore;
import dev.idempotent.store.Outcome;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The conformance suite every {@link IdempotencyStore} passes: the Caffeine, Redis and JDBC stores
 * run it, and a store of your own (DynamoDB, Cassandra, ...) should too. It is a JUnit Jupiter test
 * class: extend it in your store's tests, supply the store and a duration short enough to wait for,
 * and every test below runs against your store.
 *
 * <pre>{@code
 * class DynamoDbStoreContractTest extends IdempotencyStoreContract {
 *   protected IdempotencyStore createStore() { return DynamoDbStore.builder(client).build(); }
 *   protected Duration shortDuration() { return Duration.ofMillis(400); }
 * }
 * }</pre>
 *
 * <p>What it pins: acquire is atomic (one winner among 64 threads, per key, over many keys); tokens
 * are unique; complete, release and renew are compare-and-sets on the token, so a stale owner can
 * change nothing after its lease was taken over or ran out; completed records keep their
 * fingerprint and outcome for their ttl and then expire, regardless of the lease they were acquired
 * with; keys are exact (namespace and value never bleed into each other; long, Unicode and
 * special-character keys work); large outcomes round-trip. A store that keeps objects ({@link
 * IdempotencyStore#keepsObjects()}) receives {@link Outcome#returned} values, every other store
 * {@link Outcome#encoded} bytes, which it must return unchanged.
 *
 * <p>Time: a store on a server expires records on its own clock, so by default {@link #elapse}
 * sleeps; keep {@link #shortDuration()} small (a few hundred milliseconds). A store whose clock is
 * a {@code Ticker} overrides {@link #elapse} to advance a {@link FakeTicker} instead.
 *
 * <p>Isolation: each test uses a namespace of its own ({@code contract-<uuid>}), so stores that
 * share a server between runs need no cleanup between tests; {@link #closeStore(IdempotencyStore)}
 * runs after each test. The suite runs its tests one at a time within one instance; it starts
 * threads of its own for the concurrency tests.
 */
public abstract class IdempotencyStoreContract {
  /** The store under test, fresh for each test. */
  protected IdempotencyStore store;

  private String namespace;

  /** For subclasses: the store's own test class. */
  protected IdempotencyStoreContract() {}

  /**
   * Creates the store under test; called before each test.
   *
   * @return a store, possibly sharing a server with earlier tests (each test has its own namespace)
   * @throws Exception when the store cannot be created, which fails the test
   */
  protected abstract IdempotencyStore createStore() throws Exception;

  /**
   * A lease or ttl short enough that {@link #elapse} past it keeps the suite quick, long enough
   * that a record written with it is still live a few operations later.
   *
   * @return the duration; the suite waits twice as long where time must pass
   */
  protected abstract Duration shortDuration();

  /**
   * Lets time pass for the store: by default sleeps, as a store on a server needs; a store on a
   * fake ticker advances it instead.
   *
   * @param duration how much time passes
   * @throws Exception when waiting is interrupted
   */
  protected void elapse(Duration duration) throws Exception {
    Thread.sleep(duration.toMillis());
  }

  /** Releases what {@link #createStore()} opened: by default closes a store that can be closed. */
  protected void closeStore(IdempotencyStore store) throws Exception {
    if (store instanceof AutoCloseable closeable) {
      closeable.close();
    }
  }

  /** A long duration: never reached by a test. */
  protected Duration longDuration() {
    return Duration.ofHours(1);
  }

  @BeforeEach
  void createStoreForTest() throws Exception {
    store = createStore();
    namespace = "contract-" + UUID.randomUUID();
  }

  @AfterEach
  void closeStoreAfterTest() throws Exception {
    closeStore(store);
  }

  /** A key in this test's namespace. */
  protected IdempotencyKey key(String value) {
    return IdempotencyKey.of(namespace, value);
  }

  /** An outcome in the form the store keeps. */
  protected Outcome outcome(String value) {
    return store.keepsObjects()
        ? Outcome.returned(value)
        : Outcome.encoded(("{\"v\":\"" + value + "\"}").getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void firstAcquireOfAKeyAcquiresWithAToken() {
    Acquisition a = store.acquire(key("k"), "fp", longDuration());
    assertEquals(Acquisition.Status.ACQUIRED, a.status());
    assertNotNull(a.token());
    assertFalse(a.token().isEmpty());
  }

  @Test
  void acquireWhileHeldAnswersInProgressWithTheHoldersFingerprint() {
    store.acquire(key("k"), "fp-1", longDuration());
    Acquisition second = store.acquire(key("k"), "fp-2", longDuration());
    assertEquals(Acquisition.Status.IN_PROGRESS, second.status());
    assertEquals("fp-1", second.fingerprint());
    assertNull(second.token());
  }

  @Test
  void completedRecordIsReturnedWithOutcomeAndFingerprint() {
    Acquisition a = store.acquire(key("k"), "fp", longDuration());
    assertTrue(store.complete(key("k"), a.token(), outcome("receipt-1"), longDuration()));
    Acquisition again = store.acquire(key("k"), "other", longDuration());
    assertEquals(Acquisition.Status.COMPLETED, again.status());
    assertEquals("fp", again.fingerprint());
    assertOutcome("receipt-1", again.outcome());
  }

  @Test
  void nullFingerprintIsKeptAsNull() {
    Acquisition a = store.acquire(key("k"), null, longDuration());
    assertNull(store.acquire(key("k"), "x", longDuration()).fingerprint());
    store.complete(key("k"), a.token(), outcome("v"), longDuration());
    assertNull(store.acquire(key("k"), "x", longDuration()).fingerprint());
  }

  @Test
  void completeWithAWrongTokenIsRefusedAndWritesNothing() {
    store.acquire(key("k"), "fp", longDuration());
    assertFalse(store.complete(key("k"), "not-the-token", outcome("forged"), longDuration()));
    assertEquals(
        Acquisition.Status.IN_PROGRESS, store.acquire(key("k"), "fp", longDuration()).status());
  }

  @Test
  void completeOfAnAbsentKeyIsRefused() {
    assertFalse(store.complete(key("absent"), "token", outcome("v"), longDuration()));
    assertEquals(
        Acquisition.Status.ACQUIRED, store.acquire(key("absent"), null, longDuration()).status());
  }

  @Test
  void secondCompleteIsRefusedAndKeepsTheFirstOutcome() {
    Acquisition a = store.acquire(key("k"), "fp", longDuration());
    assertTrue(store.complete(key("k"), a.token(), outcome("first"), longDuration()));
    assertFalse(store.complete(key("k"), a.token(), outcome("second"), longDuration()));
    assertOutcome("first", store.acquire(key("k"), "fp", longDuration()).outcome());
  }

  @Test
  void releaseFreesTheKeyForTheNextCall() {
    Acquisition a = store.acquire(key("k"), "fp", longDuration());
    assertTrue(store.release(key("k"), a.token()));
    Acquisition next = store.acquire(key("k"), "fp", longDuration());
    assertEquals(Acquisition.Status.ACQUIRED, next.status());
    assertNotEquals(a.token(), next.token());
  }

  @Test
  void releaseWithAWrongTokenIsRefused() {
    store.acquire(key("k"), "fp", longDuration());
    assertFalse(store.release(key("k"), "not-the-token"));
    assertEquals(
        Acquisition.Status.IN_PROGRESS, store.acquire(key("k"), "fp", longDuration()).status());
  }

  @Test
  void releaseDoesNotDeleteACompletedRecord() {
    Acquisition a = store.acquire(key("k"), "fp", longDuration());
    store.complete(key("k"), a.token(), outcome("done"), longDuration());
    assertFalse(store.release(key("k"), a.token()));
    assertEquals(
        Acquisition.Status.COMPLETED, store.acquire(key("k"), "fp", longDuration()).status());
  }

  @Test
  void expiredLeaseIsTakenOverWithANewToken() throws Exception {
    Acquisition first = store.acquire(key("k"), "fp", shortDuration());
    elapse(shortDuration().multipliedBy(2));
    Acquisition second = store.acquire(key("k"), "fp", longDuration());
    assertEquals(Acquisition.Status.ACQUIRED, second.status());
    assertNotEquals(first.token(), second.token());
  }

  @Test
  void staleOwnerCannotCompleteReleaseOrRenewAfterTakeover() throws Exception {
    Acquisition stale = store.acquire(key("k"), "fp", shortDuration());
    elapse(shortDuration().multipliedBy(2));
    Acquisition owner = store.acquire(key("k"), "fp", longDuration());
    assertFalse(store.complete(key("k"), stale.token(), outcome("stale"), longDuration()));
    assertFalse(store.release(key("k"), stale.token()));
    assertFalse(store.renew(key("k"), stale.token(), longDuration()));
    assertTrue(store.complete(key("k"), owner.token(), outcome("owner"), longDuration()));
    assertOutcome("owner", store.acquire(key("k"), "fp", longDuration()).outcome());
  }

  @Test
  void staleOwnerCannotCompleteAfterItsLeaseExpiredEvenWithoutTakeover() throws Exception {
    Acquisition stale = store.acquire(key("k"), "fp", shortDuration());
    elapse(shortDuration().multipliedBy(2));
    assertFalse(store.complete(key("k"), stale.token(), outcome("late"), longDuration()));
    assertEquals(
        Acquisition.Status.ACQUIRED, store.acquire(key("k"), "fp", longDuration()).status());
  }

  @Test
  void renewKeepsALiveOwnerFromBeingTakenOver() throws Exception {
    Duration lease = shortDuration();
    Acquisition a = store.acquire(key("k"), "fp", lease);
    assertTrue(store.renew(key("k"), a.token(), lease.multipliedBy(10)));
    elapse(lease.multipliedBy(2));
    assertEquals(
        Acquisition.Status.IN_PROGRESS, store.acquire(key("k"), "fp", longDuration()).status());
    assertTrue(store.complete(key("k"), a.token(), outcome("renewed"), longDuration()));
  }

  @Test
  void renewKeepsTheFingerprint() {
    Acquisition a = store.acquire(key("k"), "fp", longDuration());
    assertTrue(store.renew(key("k"), a.token(), longDuration()));
    assertEquals("fp", store.acquire(key("k"), "other", longDuration()).fingerprint());
  }

  @Test
  void completedRecordExpiresAfterItsTtl() throws Exception {
    Acquisition a = store.acquire(key("k"), "fp", longDuration());
    store.complete(key("k"), a.token(), outcome("v"), shortDuration());
    elapse(shortDuration().multipliedBy(2));
    assertEquals(
        Acquisition.Status.ACQUIRED, store.acquire(key("k"), "fp", longDuration()).status());
  }

  @Test
  void completedRecordOutlivesTheLeaseItWasAcquiredWith() throws Exception {
    Acquisition a = store.acquire(key("k"), "fp", shortDuration());
    store.complete(key("k"), a.token(), outcome("v"), longDuration());
    elapse(shortDuration().multipliedBy(2));
    assertEquals(
        Acquisition.Status.COMPLETED, store.acquire(key("k"), "fp", longDuration()).status());
  }

  @Test
  void keysAreIndependent() {
    Acquisition a = store.acquire(key("a"), "fp", longDuration());
    Acquisition b = store.acquire(key("b"), "fp", longDuration());
    assertEquals(Acquisition.Status.ACQUIRED, a.status());
    assertEquals(Acquisition.Status.ACQUIRED, b.status());
    store.complete(key("a"), a.token(), outcome("A"), longDuration());
    assertEquals(
        Acquisition.Status.IN_PROGRESS, store.acquire(key("b"), "fp", longDuration()).status());
  }

  @Test
  void sameValueInAnotherNamespaceIsAnotherRecord() {
    IdempotencyKey mine = key("shared-value");
    IdempotencyKey theirs = IdempotencyKey.of(mine.namespace() + "-other", "shared-value");
    store.acquire(mine, "fp", longDuration());
    assertEquals(Acquisition.Status.ACQUIRED, store.acquire(theirs, "fp", longDuration()).status());
  }

  @Test
  void namespaceAndValueDoNotBleedIntoEachOther() {
    IdempotencyKey a = IdempotencyKey.of(namespace + ":x", "y");
    IdempotencyKey b = IdempotencyKey.of(namespace, "x:y");
    store.acquire(a, "fp", longDuration());
    assertEquals(Acquisition.Status.ACQUIRED, store.acquire(b, "fp", longDuration()).status());
  }

  @Test
  void largeAndUnusualKeysWork() {
    List<String> values =
        List.of(
            "x".repeat(10_000),
            "ünïcödé-键-🔑",
            "with spaces and\ttabs\nand newlines",
            "quotes ' \" and ; DROP TABLE idempotency_records; --",
            "glob * ? [a-z] {x} \\ %",
            ":",
            "");
    Map<String, String> tokens = new ConcurrentHashMap<>();
    for (String value : values) {
      Acquisition a = store.acquire(key(value), "fp", longDuration());
      assertEquals(Acquisition.Status.ACQUIRED, a.status(), "acquire " + describe(value));
      tokens.put(value, a.token());
    }
    for (String value : values) {
      assertTrue(
          store.complete(
              key(value), tokens.get(value), outcome("v-" + value.length()), longDuration()),
          "complete " + describe(value));
    }
    for (String value : values) {
      Acquisition again = store.acquire(key(value), "fp", longDuration());
      assertEquals(Acquisition.Status.COMPLETED, again.status(), "replay " + describe(value));
      assertOutcome("v-" + value.length(), again.outcome());
    }
  }

  /**
   * Values that a case- or accent-insensitive collation, a PAD SPACE collation, Unicode
   * normalisation, a NUL-terminated string or a truncated index would make equal: each is its own
   * record.
   */
  static final List<String> LOOK_ALIKE_VALUES =
      List.of(
          "a",
          "A",
          "a ",
          "a  ",
          " a",
          "a\t",
          "a\u00A0",
          "",
          " ",
          "e",
          "E",
          "\u00E9",
          "e\u0301",
          "\u00C9",
          "ss",
          "\u00DF",
          "i",
          "\u0131",
          "\u0130",
          "k",
          "\uFF4B",
          "1",
          "01",
          "\u0661",
          "a\0",
          "a\0b",
          "a\uFFFDb",
          "\0",
          "a?",
          "a??",
          "a\uD83D\uDE00",
          "a\uD83D\uDE01",
          "x".repeat(10_000) + "1",
          "x".repeat(10_000) + "2",
          "x".repeat(10_000) + "1 ");

  @Test
  void valuesThatDatabasesCouldFoldTogetherAreDistinctRecords() {
    assertDistinctRecords(LOOK_ALIKE_VALUES.stream().map(this::key).toList());
  }

  @Test
  void namespacesThatDatabasesCouldFoldTogetherAreDistinctRecords() {
    List<IdempotencyKey> keys = new ArrayList<>();
    for (String suffix : LOOK_ALIKE_VALUES) {
      keys.add(IdempotencyKey.of(namespace + suffix, "same-value"));
    }
    assertDistinctRecords(keys);
  }

  /**
   * An unpaired surrogate would become {@code '?'} in UTF-8, so {@code "a\uD800"} and {@code "a?"}
   * would share a record: the engine refuses such a key before the store sees it, with or without
   * hashed keys, and the key with {@code '?'} keeps a record of its own.
   */
  @Test
  void unpairedSurrogateKeyIsRefusedAndCannotShareTheQuestionMarkRecord() {
    for (boolean hashKeys : new boolean[] {false, true}) {
      IdempotencyEngine engine =
          IdempotencyEngine.builder().store(store).hashKeys(hashKeys).build();
      IdempotentOperation<String> operation =
          engine.operation(namespace + "-op-" + hashKeys, String.class).build();
      AtomicInteger runs = new AtomicInteger();
      for (String malformed : List.of("a\uD800", "a\uDC00", "a\uDC00\uD800", "\uD800")) {
        IdempotencyKeyException refused =
            assertThrows(
                IdempotencyKeyException.class,
                () -> operation.execute(malformed, () -> "ran-" + runs.incrementAndGet()),
                describe(malformed));
        assertTrue(refused.getMessage().contains("unpaired surrogate"), refused.getMessage());
      }
      assertEquals(0, runs.get(), "no body ran for a refused key");
      assertEquals("ran-1", operation.execute("a?", () -> "ran-" + runs.incrementAndGet()));
      assertEquals("ran-2", operation.execute("?", () -> "ran-" + runs.incrementAndGet()));
      assertEquals("ran-1", operation.execute("a?", () -> "ran-" + runs.incrementAndGet()));
    }
  }

  @Test
  void namespaceWithAnUnpairedSurrogateIsADefinitionError() {
    IdempotencyEngine engine = IdempotencyEngine.builder().store(store).build();
    IdempotencyDefinitionException refused =
        assertThrows(
            IdempotencyDefinitionException.class,
            () -> engine.operation(namespace + "\uD800", String.class).build());
    assertTrue(refused.getMessage().contains("unpaired surrogate"), refused.getMessage());
  }

  private void assertDistinctRecords(List<IdempotencyKey> keys) {
    List<String> tokens = new ArrayList<>();
    for (IdempotencyKey key : keys) {
      Acquisition a = store.acquire(key, "fp", longDuration());
      assertEquals(Acquisition.Status.ACQUIRED, a.status(), "acquire " + describe(key));
      tokens.add(a.token());
    }
    for (int i = 0; i < keys.size(); i++) {
      assertTrue(
          store.complete(keys.get(i), tokens.get(i), outcome("v" + i), longDuration()),
          "complete " + describe(keys.get(i)));
    }
    for (int i = 0; i < keys.size(); i++) {
      Acquisition again = store.acquire(keys.get(i), "fp", longDuration());
      assertEquals(Acquisition.Status.COMPLETED, again.status(), "replay " + describe(keys.get(i)));
      assertOutcome("v" + i, again.outcome());
    }
  }

  private static String describe(IdempotencyKey key) {
    return describe(key.namespace()) + " / " + describe(key.value());
  }

  @Test
  void largeOutcomeRoundTrips() {
    String big = "r".repeat(200_000);
    Acquisition a = store.acquire(key("k"), "fp", longDuration());
    assertTrue(store.complete(key("k"), a.token(), outcome(big), longDuration()));
    assertOutcome(big, store.acquire(key("k"), "fp", longDuration()).outcome());
  }

  @Test
  void exactlyOneOf64ConcurrentAcquiresWins() throws Exception {
    int threads = 64;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      for (int round = 0; round < 10; round++) {
        IdempotencyKey key = key("race-" + round);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Acquisition>> answers = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
          answers.add(
              pool.submit(
                  () -> {
                    start.await();
                    return store.acquire(key, "fp", longDuration());
                  }));
        }
        start.countDown();
        int acquired = 0;
        int inProgress = 0;
        for (Future<Acquisition> answer : answers) {
          Acquisition.Status status = answer.get(60, TimeUnit.SECONDS).status();
          acquired += status == Acquisition.Status.ACQUIRED ? 1 : 0;
          inProgress += status == Acquisition.Status.IN_PROGRESS ? 1 : 0;
        }
        assertEquals(1, acquired, "round " + round);
        assertEquals(threads - 1, inProgress, "round " + round);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void concurrentCallsOnManyKeysAcquireEachKeyExactlyOnce() throws Exception {
    int threads = 64;
    int keys = 500;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    Map<Integer, AtomicInteger> wins = new ConcurrentHashMap<>();
    Set<String> tokens = ConcurrentHashMap.newKeySet();
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> work = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int offset = t;
        work.add(
            pool.submit(
                () -> {
                  start.await();
                  for (int i = 0; i < keys; i++) {
                    int k = (i + offset * 7) % keys;
                    Acquisition a = store.acquire(key("many-" + k), "fp", longDuration());
                    if (a.status() == Acquisition.Status.ACQUIRED) {
                      wins.computeIfAbsent(k, x -> new AtomicInteger()).incrementAndGet();
                      tokens.add(a.token());
                      store.complete(key("many-" + k), a.token(), outcome("v" + k), longDuration());
                    }
                  }
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> f : work) {
        f.get(120, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(keys, wins.size());
    wins.forEach((k, count) -> assertEquals(1, count.get(), "key " + k));
    assertEquals(keys, tokens.size(), "every acquisition has its own token");
  }

  @Test
  void tokensAreUniqueAcrossAcquisitions() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      Acquisition a = store.acquire(key("t" + i), null, longDuration());
      assertTrue(seen.add(a.token()), "duplicate token " + a.token());
      store.release(key("t" + i), a.token());
      Acquisition b = store.acquire(key("t" + i), null, longDuration());
      assertTrue(seen.add(b.token()), "token reused after release");
    }
  }

  private void assertOutcome(String expected, Outcome actual) {
    assertNotNull(actual);
    if (store.keepsObjects()) {
      assertEquals(Outcome.Form.RETURNED, actual.form());
      assertEquals(expected, actual.value());
    } else {
      assertEquals(Outcome.Form.ENCODED, actual.form());
      assertArrayEquals(outcome(expected).bytes(), actual.bytes());
    }
  }

  private static String describe(String value) {
    return value.length() > 40
        ? value.substring(0, 40) + "… (" + value.length() + " chars)"
        : value;
  }
}
