package dev.idempotent.aspectj;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.idempotent.IdempotencyEngine;
import dev.idempotent.IdempotencyEvent;
import dev.idempotent.store.CaffeineIdempotencyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link IdempotentAspect#configure} and its {@link IdempotentAspect.Registration}. */
class RegistrationTest {
  private final List<IdempotencyEvent> firstEvents = new CopyOnWriteArrayList<>();
  private final List<IdempotencyEvent> secondEvents = new CopyOnWriteArrayList<>();
  private final IdempotencyEngine first =
      IdempotencyEngine.builder().listener(firstEvents::add).build();
  private final IdempotencyEngine second =
      IdempotencyEngine.builder()
          .store(CaffeineIdempotencyStore.builder().maximumSize(77).build())
          .listener(secondEvents::add)
          .build();
  private final List<IdempotentAspect.Registration> registrations = new ArrayList<>();

  @AfterEach
  void closeRegistrations() {
    registrations.forEach(IdempotentAspect.Registration::close);
  }

  private IdempotentAspect.Registration configure(IdempotencyEngine engine) {
    IdempotentAspect.Registration registration = IdempotentAspect.configure(engine);
    registrations.add(registration);
    return registration;
  }

  @Test
  void closingTheCurrentRegistrationPutsBackTheEngineConfiguredBefore() {
    IdempotentAspect.Registration outer = configure(first);
    IdempotentAspect.Registration inner = configure(second);
    new Ledger().first("r-1");
    assertEquals(1, executed(secondEvents));
    assertEquals(0, executed(firstEvents));

    inner.close();
    assertTrue(inner.isClosed());
    assertSame(first, IdempotentAspect.engine());
    new Ledger().first("r-2");
    assertEquals(1, executed(firstEvents));

    outer.close();
    IdempotencyEngine fallback = IdempotentAspect.engine();
    assertNotSame(first, fallback);
    assertNotSame(second, fallback);
  }

  @Test
  void closingIsIdempotent() {
    IdempotentAspect.Registration outer = configure(first);
    IdempotentAspect.Registration inner = configure(second);
    inner.close();
    inner.close();
    assertSame(first, IdempotentAspect.engine());
    assertFalse(outer.isClosed());
  }

  @Test
  void closingARegistrationThatWasReplacedKeepsTheCurrentEngineAndIsNotPutBackLater() {
    IdempotentAspect.Registration outer = configure(first);
    IdempotentAspect.Registration inner = configure(second);
    outer.close();
    assertSame(second, IdempotentAspect.engine());
    inner.close();
    assertNotSame(first, IdempotentAspect.engine());
    assertNotSame(second, IdempotentAspect.engine());
  }

  @Test
  void replacingAnOpenRegistrationOfAnotherEngineWarnsNamingBothStoresAndTheFix() {
    configure(first);
    List<String> warnings;
    try (CapturedLog log = new CapturedLog()) {
      configure(second);
      warnings = log.warnings();
    }
    assertEquals(1, warnings.size(), warnings::toString);
    String warning = warnings.get(0);
    assertTrue(warning.contains("maximumSize=1000000"), warning);
    assertTrue(warning.contains("maximumSize=77"), warning);
    assertTrue(warning.contains("one engine per JVM for woven classes"), warning);
    assertTrue(warning.contains("close the first registration"), warning);
  }

  @Test
  void configuringTheCurrentEngineAgainIsSilent() {
    configure(first);
    try (CapturedLog log = new CapturedLog()) {
      configure(first);
      assertEquals(List.of(), log.warnings());
    }
    assertSame(first, IdempotentAspect.engine());
  }

  @Test
  void replacingTheDefaultEngineIsSilent() {
    IdempotencyEngine fallback = IdempotentAspect.engine();
    assertNotSame(first, fallback);
    try (CapturedLog log = new CapturedLog()) {
      configure(first);
      assertEquals(List.of(), log.warnings());
    }
    assertSame(first, IdempotentAspect.engine());
  }

  @Test
  void configuringAfterTheFirstRegistrationClosedIsSilent() {
    configure(first).close();
    try (CapturedLog log = new CapturedLog()) {
      configure(second);
      assertEquals(List.of(), log.warnings());
    }
    assertSame(second, IdempotentAspect.engine());
  }

  private static long executed(List<IdempotencyEvent> events) {
    return events.stream().filter(e -> e.type() == IdempotencyEvent.Type.EXECUTED).count();
  }
}
