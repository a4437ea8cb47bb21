package dev.idempotent.redis;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.idempotent.IdempotencyStoreException;
import dev.idempotent.store.Acquisition;
import dev.idempotent.store.IdempotencyKey;
import dev.idempotent.store.Outcome;
import dev.idempotent.testing.RequiresServer;
import dev.idempotent.testing.TestServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What this store adds to the contract: its layout in Redis, its builders, its failures. */
@RequiresServer(TestServer.REDIS)
class RedisIdempotencyStoreTest {
  private static final String PREFIX = SharedRedis.uniquePrefix();
  private static final Duration HOUR = Duration.ofHours(1);

  private static SharedRedis.Session session;
  private static RedisCommands<byte[], byte[]> redis;

  private RedisIdempotencyStore store;
  private String namespace;

  @BeforeAll
  static void connect() {
    session = SharedRedis.open(PREFIX);
    redis = session.redis;
  }

  @AfterAll
  static void deleteKeysAndDisconnect() {
    session.close();
  }

  @BeforeEach
  void createStore() {
    store = RedisIdempotencyStore.builder(SharedRedis.URI).keyPrefix(PREFIX).build();
    namespace = "store-test-" + UUID.randomUUID();
  }

  @AfterEach
  void closeStore() {
    store.close();
  }

  @Test
  void inProgressRecordIsAHashWithStateTokenAndFingerprintExpiringAfterTheLease() {
    IdempotencyKey key = IdempotencyKey.of(namespace, "order:42");
    Acquisition a = store.acquire(key, "fp-1", Duration.ofSeconds(30));
    byte[] redisKey = (PREFIX + namespace.length() + ":" + namespace + ":order:42").getBytes(UTF_8);
    assertEquals("hash", redis.type(redisKey));
    assertEquals(Map.of("s", "p", "t", a.token(), "f", "fp-1"), fields(redisKey));
    long pttl = redis.pttl(redisKey);
    assertTrue(pttl > 29_000 && pttl <= 30_000, "pttl " + pttl);
  }

  @Test
  void completedRecordKeepsStateFingerprintAndOutcomeBytesAndDropsTheToken() {
    IdempotencyKey key = IdempotencyKey.of(namespace, "k");
    Acquisition a = store.acquire(key, "fp-1", Duration.ofSeconds(30));
    assertTrue(store.complete(key, a.token(), Outcome.encoded("{\"v\":1}".getBytes(UTF_8)), HOUR));
    byte[] redisKey = redisKey(key);
    assertEquals(Map.of("s", "c", "f", "fp-1", "o", "{\"v\":1}"), fields(redisKey));
    long pttl = redis.pttl(redisKey);
    assertTrue(pttl > 3_590_000 && pttl <= 3_600_000, "pttl " + pttl);
  }

  @Test
  void nullFingerprintWritesNoFingerprintField() {
    IdempotencyKey key = IdempotencyKey.of(namespace, "k");
    store.acquire(key, null, HOUR);
    assertFalse(fields(redisKey(key)).containsKey("f"));
    assertNull(store.acquire(key, "fp", HOUR).fingerprint());
  }

  @Test
  void outcomeBytesRoundTripUnchangedWhateverTheyHold() {
    byte[] bytes = new byte[4 * 256 + 3];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) i;
    }
    bytes[bytes.length - 3] = (byte) 0xC3; // a truncated UTF-8 sequence, then "\r\n"
    bytes[bytes.length - 2] = '\r';
    bytes[bytes.length - 1] = '\n';
    IdempotencyKey key = IdempotencyKey.of(namespace, "binary");
    Acquisition a = store.acquire(key, null, HOUR);
    assertTrue(store.complete(key, a.token(), Outcome.encoded(bytes), HOUR));
    Outcome replayed = store.acquire(key, null, HOUR).outcome();
    assertEquals(Outcome.Form.ENCODED, replayed.form());
    assertArrayEquals(bytes, replayed.bytes());
  }

  @Test
  void tokensAreUniqueAcrossStoresWithARandomPrefixPerStore() {
    Set<String> tokens = new HashSet<>();
    Set<String> prefixes = new HashSet<>();
    try (RedisIdempotencyStore other =
        RedisIdempotencyStore.builder(SharedRedis.URI).keyPrefix(PREFIX).build()) {
      for (RedisIdempotencyStore each : List.of(store, other)) {
        for (int i = 0; i < 250; i++) {
          String token =
              each.acquire(IdempotencyKey.of(namespace, "t" + tokens.size()), null, HOUR).token();
          assertTrue(tokens.add(token), "repeated token " + token);
          String prefix = token.substring(0, token.indexOf('.'));
          assertEquals(12, Base64.getUrlDecoder().decode(prefix).length, token);
          prefixes.add(prefix);
        }
      }
    }
    assertEquals(2, prefixes.size(), "each store draws its own random prefix");
  }

  @Test
  void acquiresReadTheRecordFirstOnlyWhileMostFindACompletedOne() {
    IdempotencyKey done = IdempotencyKey.of(namespace, "done");
    Acquisition first = store.acquire(done, "fp", HOUR);
    assertTrue(store.complete(done, first.token(), Outcome.encoded(new byte[] {1}), HOUR));
    assertFalse(store.readsFirst(), "a new store runs the script first");
    for (int i = 0; i < 40; i++) {
      Acquisition again = store.acquire(done, "fp", HOUR);
      assertEquals(Acquisition.Status.COMPLETED, again.status());
      assertEquals("fp", again.fingerprint());
    }
    assertTrue(store.readsFirst(), "after 40 duplicates the record is read first");
    for (int i = 0; i < 3; i++) {
      Acquisition duplicate = store.acquire(done, "fp", HOUR);
      assertArrayEquals(new byte[] {1}, duplicate.outcome().bytes());
    }
    for (int i = 0; i < 40; i++) {
      IdempotencyKey fresh = IdempotencyKey.of(namespace, "new-" + i);
      assertEquals(Acquisition.Status.ACQUIRED, store.acquire(fresh, null, HOUR).status());
      assertEquals(Acquisition.Status.IN_PROGRESS, store.acquire(fresh, null, HOUR).status());
    }
    assertFalse(store.readsFirst(), "after 40 new keys the script runs first again");
  }

  @Test
  void renewSetsTheExpiryToTheNewLeaseFromNow() {
    IdempotencyKey key = IdempotencyKey.of(namespace, "k");
    Acquisition a = store.acquire(key, null, Duration.ofSeconds(2));
    assertTrue(store.renew(key, a.token(), Duration.ofMinutes(10)));
    long pttl = redis.pttl(redisKey(key));
    assertTrue(pttl > 590_000 && pttl <= 600_000, "pttl " + pttl);
  }

  @Test
  void durationsBeyondWhatRedisCanHoldAreCapped() {
    IdempotencyKey key = IdempotencyKey.of(namespace, "forever");
    Duration forever = ChronoUnit.FOREVER.getDuration();
    Acquisition a = store.acquire(key, null, forever);
    assertEquals(Acquisition.Status.ACQUIRED, a.status());
    assertTrue(store.complete(key, a.token(), Outcome.encoded(new byte[] {'1'}), forever));
    assertTrue(redis.pttl(redisKey(key)) > Duration.ofDays(365L * 1000).toMillis());
  }

  @Test
  void subMillisecondLeaseIsRoundedUpNotDown() {
    IdempotencyKey key = IdempotencyKey.of(namespace, "short");
    Acquisition a = store.acquire(key, null, Duration.ofNanos(1));
    assertEquals(Acquisition.Status.ACQUIRED, a.status());
  }

  @Test
  void aKeyPrefixKeepsStoresApart() {
    IdempotencyKey key = IdempotencyKey.of(namespace, "k");
    try (RedisIdempotencyStore other =
        RedisIdempotencyStore.builder(SharedRedis.URI).keyPrefix(PREFIX + "other:").build()) {
      assertEquals(Acquisition.Status.ACQUIRED, store.acquire(key, null, HOUR).status());
      assertEquals(Acquisition.Status.ACQUIRED, other.acquire(key, null, HOUR).status());
      assertEquals(PREFIX + "other:", other.keyPrefix());
    }
  }

  @Test
  void keyPrefixWithAnUnpairedSurrogateIsRefusedSoItCannotShareTheQuestionMarkPrefix() {
    IllegalArgumentException refused =
        assertThrows(
            IllegalArgumentException.class,
            () -> RedisIdempotencyStore.builder(SharedRedis.URI).keyPrefix(PREFIX + "\uD800:"));
    assertTrue(refused.getMessage().contains("unpaired surrogate"), refused.getMessage());
    RedisIdempotencyStore.builder(SharedRedis.URI).keyPrefix(PREFIX + "\uD83D\uDE00:");
  }

  @Test
  void valueThatIsNotAHashFailsEveryOperationNamingTheNamespaceAndIsLeftAlone() {
    IdempotencyKey key = IdempotencyKey.of(namespace, "k");
    redis.set(redisKey(key), "someone else's".getBytes(UTF_8));
    for (Consumer<RedisIdempotencyStore> operation :
        List.<Consumer<RedisIdempotencyStore>>of(
            s -> s.acquire(key, null, HOUR),
            s -> s.complete(key, "token", Outcome.encoded(new byte[] {1}), HOUR),
            s -> s.release(key, "token"),
            s -> s.renew(key, "token", HOUR))) {
      IdempotencyStoreException e =
          assertThrows(IdempotencyStoreException.class, () -> operation.accept(store));
      assertTrue(e.getMessage().contains("namespace '" + namespace + "'"), e.getMessage());
      assertTrue(e.getMessage().contains("not a hash"), e.getMessage());
      assertTrue(e.getMessage().contains("prefix '" + PREFIX + "'"), e.getMessage());
    }
    assertEquals("someone else's", new String(redis.get(redisKey(key)), UTF_8));
  }

  @Test
  void recordWithoutStateFailsNamingTheNamespace() {
    assertBrokenRecord(Map.of("x", "y"), "has no state (field s)");
  }

  @Test
  void completedRecordWithoutOutcomeFailsNamingTheNamespace() {
    assertBrokenRecord(Map.of("s", "c", "f", "fp"), "has no outcome (field o)");
  }

  @Test
  void recordWithAnUnknownStateFailsNamingTheNamespace() {
    assertBrokenRecord(Map.of("s", "done"), "state (field s) is 'done'");
  }

  @Test
  void sharedStringConnectionServesTheStoreAndStaysOpenAfterClose() {
    RedisClient shared = SharedRedis.client();
    try (StatefulRedisConnection<String, String> strings = shared.connect()) {
      IdempotencyKey key = IdempotencyKey.of(namespace, "ünïcödé-键");
      byte[] outcome = {(byte) 0xff, 0, (byte) 0xfe, '"'};
      try (RedisIdempotencyStore onShared =
          RedisIdempotencyStore.builder(strings).keyPrefix(PREFIX).build()) {
        Acquisition a = onShared.acquire(key, "fp-ü", HOUR);
        assertTrue(onShared.complete(key, a.token(), Outcome.encoded(outcome), HOUR));
        Acquisition replay = onShared.acquire(key, null, HOUR);
        assertEquals("fp-ü", replay.fingerprint());
        assertArrayEquals(outcome, replay.outcome().bytes());
      }
      assertTrue(strings.isOpen());
      assertEquals("PONG", strings.sync().ping());
      assertArrayEquals(outcome, store.acquire(key, null, HOUR).outcome().bytes());
    } finally {
      shared.shutdown();
    }
  }

  @Test
  void sharedClientKeepsWorkingAfterTheStoreCloses() {
    RedisClient shared = SharedRedis.client();
    try {
      RedisIdempotencyStore onShared =
          RedisIdempotencyStore.builder(shared).keyPrefix(PREFIX).build();
      IdempotencyKey key = IdempotencyKey.of(namespace, "k");
      assertEquals(Acquisition.Status.ACQUIRED, onShared.acquire(key, null, HOUR).status());
      onShared.close();
      try (StatefulRedisConnection<String, String> after = shared.connect()) {
        assertEquals("PONG", after.sync().ping());
      }
    } finally {
      shared.shutdown();
    }
  }

  @Test
  void closedStoreFailsClosedAndClosingTwiceDoesNothing() {
    store.close();
    store.close();
    IdempotencyStoreException e =
        assertThrows(
            IdempotencyStoreException.class,
            () -> store.acquire(IdempotencyKey.of(namespace, "k"), null, HOUR));
    assertTrue(e.getMessage().contains("the store is closed"), e.getMessage());
  }

  @Test
  void buildFailsWithAStoreExceptionWhenNoServerListens() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    String uri = "redis://127.0.0.1:" + port;
    IdempotencyStoreException e =
        assertThrows(
            IdempotencyStoreException.class,
            () ->
                RedisIdempotencyStore.builder(uri).commandTimeout(Duration.ofMillis(500)).build());
    assertTrue(e.getMessage().contains("cannot connect to redis://127.0.0.1:" + port));
  }

  @Test
  void builderRejectsWrongSettings() {
    RedisIdempotencyStore.Builder builder = RedisIdempotencyStore.builder(SharedRedis.URI);
    IllegalArgumentException zero =
        assertThrows(IllegalArgumentException.class, () -> builder.commandTimeout(Duration.ZERO));
    assertTrue(zero.getMessage().contains("commandTimeout must be positive, was PT0S"));
    assertThrows(NullPointerException.class, () -> builder.keyPrefix(null));
    assertThrows(IllegalArgumentException.class, () -> RedisIdempotencyStore.builder("nonsense"));
  }

  private void assertBrokenRecord(Map<String, String> hash, String problem) {
    IdempotencyKey key = IdempotencyKey.of(namespace, "broken");
    Map<byte[], byte[]> raw = new LinkedHashMap<>();
    hash.forEach((f, v) -> raw.put(f.getBytes(UTF_8), v.getBytes(UTF_8)));
    redis.hset(redisKey(key), raw);
    IdempotencyStoreException e =
        assertThrows(IdempotencyStoreException.class, () -> store.acquire(key, null, HOUR));
    assertTrue(e.getMessage().contains("namespace '" + namespace + "'"), e.getMessage());
    assertTrue(e.getMessage().contains(problem), e.getMessage());
  }

  private static byte[] redisKey(IdempotencyKey key) {
    return (PREFIX + key.asString()).getBytes(UTF_8);
  }

  private static Map<String, String> fields(byte[] redisKey) {
    Map<String, String> fields = new TreeMap<>();
    redis
        .hgetall(redisKey)
        .forEach((f, v) -> fields.put(new String(f, UTF_8), new String(v, UTF_8)));
    return fields;
  }
}
