package dev.idempotent.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.idempotent.IdempotencyEngine;
import dev.idempotent.IdempotencyEvent;
import dev.idempotent.IdempotencyInProgressException;
import dev.idempotent.IdempotencyKeyReuseException;
import dev.idempotent.IdempotencyStoreException;
import dev.idempotent.micrometer.CapturingLogProvider.Line;
import dev.idempotent.micrometer.Payments.Charge;
import dev.idempotent.micrometer.Payments.Receipt;
import dev.idempotent.store.IdempotencyKey;
import dev.idempotent.testing.FakeTicker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;

/**
 * What the engine logs on each path of the protocol, captured through an SLF4J binding that keeps
 * every line at every level: the namespace and the key's hash, never an argument, a stored result
 * or the key itself. Each test drives one path with card-like arguments and results and searches
 * every line, exceptions and their causes included.
 */
class ProtocolLoggingTest {
  private static final String CARD = "4929-1234-5678-9012";
  private static final String OTHER_CARD = "5500-0000-0000-0004";
  private static final String KEY = "idem-7f3a9c-client-secret";
  private static final List<String> SECRETS = List.of(CARD, OTHER_CARD, KEY, "AUTH-");

  private final FakeTicker ticker = new FakeTicker();
  private final ScriptedStore store = new ScriptedStore(ticker);
  private final Payments payments = new Payments(ticker, store);
  private final Charge charge = new Charge(KEY, CARD, 4200);

  @BeforeEach
  void captureFromHere() {
    assertTrue(
        LoggerFactory.getILoggerFactory().getLogger("probe") instanceof LegacyAbstractLogger,
        "the capturing binding is the one SLF4J found");
    CapturingLogProvider.clear();
  }

  @AfterEach
  void nothingSecretWasLogged() {
    for (Line line : CapturingLogProvider.LINES) {
      for (String secret : SECRETS) {
        assertFalse(
            line.text().contains(secret),
            "logged <" + secret + "> at " + line.level() + ": " + line.text());
      }
    }
  }

  private IdempotencyEngine.Builder engine() {
    return IdempotencyEngine.builder().store(store).ticker(ticker);
  }

  @Test
  void executedAndReplayedCallsLogTheirStepsAtDebugWithNamespaceAndKeyHash() throws Throwable {
    IdempotencyEngine engine = engine().build();
    Receipt first = payments.call(engine, "charge", charge);
    assertEquals(first, payments.call(engine, "charge", charge));
    List<Line> debug = lines(Level.DEBUG, "payments.charge");
    assertInOrder(
        debug.stream().map(Line::message).collect(Collectors.toList()),
        ": ACQUIRED",
        "EXECUTED",
        ": COMPLETED",
        "REPLAYED");
    assertNoWarnings();
  }

  @Test
  void storeTimingStepsAreLoggedAtDebugWhenAListenerWantsTimings() throws Throwable {
    IdempotencyEngine engine =
        engine().listener(MicrometerIdempotencyListener.create(new SimpleMeterRegistry())).build();
    payments.call(engine, "charge", charge);
    List<String> steps =
        lines(Level.DEBUG, "payments.charge").stream()
            .map(Line::message)
            .collect(Collectors.toList());
    assertInOrder(steps, "STORE_ACQUIRE", "STORE_COMPLETE", "EXECUTED");
  }

  @Test
  void keyReuseIsLoggedAtDebugWithoutTheArguments() throws Throwable {
    IdempotencyEngine engine = engine().build();
    payments.call(engine, "charge", charge);
    assertThrows(
        IdempotencyKeyReuseException.class,
        () -> payments.call(engine, "charge", new Charge(KEY, OTHER_CARD, 1)));
    assertTrue(
        lines(Level.DEBUG, "payments.charge").stream()
            .anyMatch(line -> line.message().contains("KEY_REUSE")));
    assertNoWarnings();
  }

  @Test
  void rejectedDuplicateIsLoggedAtDebug() throws Throwable {
    store.acquire(IdempotencyKey.of("payments.capture", KEY), null, Duration.ofSeconds(30));
    assertThrows(
        IdempotencyInProgressException.class,
        () -> payments.call(engine().build(), "capture", charge));
    assertTrue(
        lines(Level.DEBUG, "payments.capture").stream()
            .anyMatch(line -> line.message().contains("REJECTED")));
    assertNoWarnings();
  }

  @Test
  void staleCompletionIsAWarningWithNamespaceAndKeyHash() throws Throwable {
    payments.call(engine().renewLeases(false).build(), "nightly", charge);
    assertEquals(
        1, lines(Level.WARN, "jobs.nightly").size(), CapturingLogProvider.LINES.toString());
  }

  @Test
  void failOpenIsAWarningWithNamespaceAndKeyHash() throws Throwable {
    store.down = true;
    payments.call(engine().failOpen(true).build(), "charge", charge);
    List<Line> warnings = lines(Level.WARN, "payments.charge");
    assertEquals(1, warnings.size(), CapturingLogProvider.LINES.toString());
    assertTrue(warnings.get(0).exception().contains(ScriptedStore.FAILURE_MESSAGE));
  }

  @Test
  void storeFailureBeforeTheBodyIsAWarningWithNamespaceAndKeyHash() throws Throwable {
    store.down = true;
    assertThrows(
        IdempotencyStoreException.class, () -> payments.call(engine().build(), "charge", charge));
    List<Line> warnings = lines(Level.WARN, "payments.charge");
    assertEquals(1, warnings.size(), CapturingLogProvider.LINES.toString());
    assertTrue(warnings.get(0).exception().contains(ScriptedStore.FAILURE_MESSAGE));
  }

  @Test
  void storeFailureAfterTheBodyRanIsAnErrorWithNamespaceAndKeyHash() throws Throwable {
    store.failComplete = true;
    payments.call(engine().build(), "charge", charge);
    List<Line> errors = lines(Level.ERROR, "payments.charge");
    assertEquals(1, errors.size(), CapturingLogProvider.LINES.toString());
    assertTrue(errors.get(0).exception().contains(ScriptedStore.FAILURE_MESSAGE));
  }

  @Test
  void storeFailureReleasingAfterTheBodyThrewIsAWarningAndNotTheBodysException() throws Throwable {
    store.failRelease = true;
    IllegalStateException thrown =
        assertThrows(
            IllegalStateException.class,
            () -> payments.call(engine().build(), "refund", new Charge(KEY, CARD, 1)));
    assertEquals(1, thrown.getSuppressed().length, "the store's failure travels with the body's");
    List<Line> warnings = lines(Level.WARN, "payments.refund");
    assertEquals(1, warnings.size(), CapturingLogProvider.LINES.toString());
    assertFalse(warnings.get(0).exception().contains("declined"), warnings.get(0).exception());
  }

  /**
   * The lines at {@code level} from the engine that name {@code namespace} and the hash of {@link
   * #KEY}; fails when a line at that level names the namespace without the hash.
   */
  private static List<Line> lines(Level level, String namespace) {
    String hash =
        new IdempotencyEvent(IdempotencyEvent.Type.EXECUTED, namespace, KEY, 0, null).keyHash();
    List<Line> found =
        CapturingLogProvider.LINES.stream()
            .filter(line -> line.level() == level && line.logger().startsWith("dev.idempotent"))
            .filter(line -> line.message().contains(namespace))
            .collect(Collectors.toList());
    for (Line line : found) {
      assertTrue(line.message().contains(hash), "no key hash " + hash + " in: " + line.message());
    }
    return found;
  }

  /** Each step appears in a line of its own, in this order; other lines may stand between. */
  private static void assertInOrder(List<String> lines, String... steps) {
    int next = 0;
    for (String line : lines) {
      if (next < steps.length && line.contains(steps[next])) {
        next++;
      }
    }
    assertEquals(steps.length, next, "steps " + List.of(steps) + " in order in " + lines);
  }

  private static void assertNoWarnings() {
    List<Line> warnings =
        CapturingLogProvider.LINES.stream()
            .filter(line -> line.level() == Level.WARN || line.level() == Level.ERROR)
            .collect(Collectors.toList());
    assertTrue(warnings.isEmpty(), warnings.toString());
  }
}
