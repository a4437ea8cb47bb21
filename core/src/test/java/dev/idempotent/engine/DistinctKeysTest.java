package dev.idempotent.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.idempotent.IdempotencyDefinitionException;
import dev.idempotent.IdempotencyEngine;
import dev.idempotent.IdempotencyKeyException;
import dev.idempotent.IdempotencyKeyReuseException;
import dev.idempotent.Idempotent;
import dev.idempotent.IdempotentOperation;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Two different keys never share a record: text that UTF-8 cannot hold (an unpaired surrogate,
 * which {@code getBytes(UTF_8)} turns into {@code '?'}) is refused before any store or hash sees
 * it, and every other text keeps its own record, hashed or not.
 */
class DistinctKeysTest {

  static final class Service {
    final AtomicInteger runs = new AtomicInteger();

    @Idempotent(keyExpr = "#key")
    String byKey(String key) {
      return "ran-" + runs.incrementAndGet();
    }

    @Idempotent
    String byAllArguments(String text) {
      return "ran-" + runs.incrementAndGet();
    }

    @Idempotent(keyExpr = "'one'")
    String onePayloadChecked(String text) {
      return "ran-" + runs.incrementAndGet();
    }

    @Idempotent(keyExpr = "#p0", namespace = "payments\uD800")
    String malformedNamespace(String key) {
      return "ran-" + runs.incrementAndGet();
    }
  }

  private final Service service = new Service();

  private Calls calls(boolean hashKeys, boolean keepsObjects) {
    return new Calls(
        IdempotencyEngine.builder()
            .store(new RecordingStore(keepsObjects))
            .hashKeys(hashKeys)
            .build());
  }

  @ParameterizedTest(name = "hashKeys={0}")
  @ValueSource(booleans = {true, false})
  void unpairedSurrogateKeyIsRefusedSoItCannotShareTheQuestionMarkRecord(boolean hashKeys)
      throws Throwable {
    Calls calls = calls(hashKeys, false);
    for (String malformed : List.of("a\uD800", "a\uDFFF", "\uDC00a", "a\uDE00\uD83D")) {
      IdempotencyKeyException refused =
          assertThrows(
              IdempotencyKeyException.class, () -> calls.call(service, "byKey", malformed));
      assertTrue(refused.getMessage().contains("unpaired surrogate U+"), refused.getMessage());
      assertTrue(refused.getMessage().contains(".byKey("), refused.getMessage());
      assertFalse(refused.getMessage().contains(malformed), "the key stays out of the message");
    }
    assertEquals(0, service.runs.get());
    assertEquals("ran-1", calls.call(service, "byKey", "a?"));
    assertEquals("ran-2", calls.call(service, "byKey", "a\uD83D\uDE00"));
    assertEquals("ran-1", calls.call(service, "byKey", "a?"));
  }

  @ParameterizedTest(name = "hashKeys={0}")
  @ValueSource(booleans = {true, false})
  void textThatOnlyLooksAlikeKeepsItsOwnRecord(boolean hashKeys) throws Throwable {
    Calls calls = calls(hashKeys, false);
    List<String> keys =
        List.of("a", "A", "a ", "\u00E9", "e\u0301", "a\0", "a", "a\uFFFD", "x".repeat(20_000));
    for (String key : keys) {
      calls.call(service, "byKey", key);
    }
    assertEquals(keys.size() - 1, service.runs.get(), "only the repeated \"a\" replays");
  }

  @ParameterizedTest(name = "keepsObjects={0}")
  @ValueSource(booleans = {true, false})
  void stringArgumentWithAnUnpairedSurrogateFingerprintsApartFromQuestionMark(boolean keepsObjects)
      throws Throwable {
    Calls calls = calls(false, keepsObjects);
    assertEquals("ran-1", calls.call(service, "byAllArguments", "a\uD800"));
    assertEquals("ran-2", calls.call(service, "byAllArguments", "a?"));
    assertEquals("ran-1", calls.call(service, "byAllArguments", "a\uD800"));
    assertEquals("ran-3", calls.call(service, "onePayloadChecked", "a\uD800"));
    assertThrows(
        IdempotencyKeyReuseException.class,
        () -> calls.call(service, "onePayloadChecked", "a?"),
        "a payload with '?' is not the payload with the surrogate");
  }

  @ParameterizedTest(name = "keepsObjects={0}")
  @ValueSource(booleans = {true, false})
  void programmaticPayloadWithAnUnpairedSurrogateIsNotThePayloadWithQuestionMark(
      boolean keepsObjects) {
    IdempotencyEngine engine =
        IdempotencyEngine.builder().store(new RecordingStore(keepsObjects)).build();
    IdempotentOperation<String> operation =
        engine.operation("payments.charge", String.class).build();
    assertEquals("ran-1", operation.execute("k", "a\uD800", () -> "ran-1"));
    assertThrows(
        IdempotencyKeyReuseException.class,
        () -> operation.execute("k", "a?", () -> "ran-2"),
        "a payload with '?' is not the payload with the surrogate");
    assertEquals("ran-1", operation.execute("k", "a\uD800", () -> "ran-3"));
  }

  @ParameterizedTest(name = "hashKeys={0}")
  @ValueSource(booleans = {true, false})
  void scopeWithAnUnpairedSurrogateIsRefused(boolean hashKeys) {
    Calls calls =
        new Calls(
            IdempotencyEngine.builder()
                .store(new RecordingStore(false))
                .hashKeys(hashKeys)
                .scope(() -> "tenant\uDBFF")
                .build());
    IdempotencyKeyException refused =
        assertThrows(IdempotencyKeyException.class, () -> calls.call(service, "byKey", "k"));
    assertTrue(refused.getMessage().contains("KeyScope"), refused.getMessage());
    assertEquals(0, service.runs.get());
  }

  @ParameterizedTest(name = "hashKeys={0}")
  @ValueSource(booleans = {true, false})
  void namespaceWithAnUnpairedSurrogateIsADefinitionError(boolean hashKeys) {
    IdempotencyEngine engine =
        IdempotencyEngine.builder().store(new RecordingStore(false)).hashKeys(hashKeys).build();
    IdempotencyDefinitionException refused =
        assertThrows(
            IdempotencyDefinitionException.class,
            () -> engine.check(Calls.find(Service.class, "malformedNamespace")));
    assertTrue(refused.getMessage().contains("namespace"), refused.getMessage());
    assertTrue(refused.getMessage().contains("U+D800 at index 8"), refused.getMessage());
  }
}
