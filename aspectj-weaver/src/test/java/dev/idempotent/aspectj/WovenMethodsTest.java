package dev.idempotent.aspectj;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.idempotent.IdempotencyEngine;
import dev.idempotent.IdempotencyEvent;
import java.lang.reflect.Method;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What compile-time weaving reaches beyond the behaviour suite, and how the aspect is set up. */
class WovenMethodsTest {
  private final List<IdempotencyEvent> events = new CopyOnWriteArrayList<>();
  private IdempotencyEngine engine;
  private IdempotentAspect.Registration registration;

  @BeforeEach
  void configure() {
    engine = IdempotencyEngine.builder().listener(events::add).build();
    registration = IdempotentAspect.configure(engine);
  }

  @AfterEach
  void closeRegistration() {
    registration.close();
  }

  @Test
  void privateMethodCalledFromInsideItsClassIsProtected() {
    Ledger ledger = new Ledger();
    String first = ledger.post("e-1");
    assertEquals(first, ledger.post("e-1"));
    assertEquals(1, ledger.runs.get());
  }

  @Test
  void finalMethodIsProtected() {
    Ledger ledger = new Ledger();
    assertEquals(ledger.close("c-1"), ledger.close("c-1"));
    assertEquals(1, ledger.runs.get());
  }

  @Test
  void methodWithMoreParametersThanTheAdviceBindsIsProtected() {
    Ledger ledger = new Ledger();
    String first = ledger.transfer("t-1", "a", "b", 1_000_000L, true);
    assertEquals(first, ledger.transfer("t-1", "a", "b", 1_000_000L, true));
    assertEquals(1, ledger.runs.get());
    assertNotEquals(first, ledger.transfer("t-2", "a", "b", 1_000_000L, true));
  }

  @Test
  void wovenMethodsCarryTheWovenMarker() throws Exception {
    Method record = Ledger.class.getDeclaredMethod("record", String.class);
    assertNotNull(record.getAnnotation(WovenIdempotent.class));
    Method post = Ledger.class.getDeclaredMethod("post", String.class);
    assertEquals(null, post.getAnnotation(WovenIdempotent.class));
  }

  @Test
  void wovenClassesKeepParameterNames() throws Exception {
    Method transfer =
        Ledger.class.getDeclaredMethod(
            "transfer", String.class, String.class, String.class, long.class, boolean.class);
    assertTrue(transfer.getParameters()[0].isNamePresent());
    assertEquals("id", transfer.getParameters()[0].getName());
  }

  @Test
  void configuredEngineIsTheOneInUse() {
    assertSame(engine, IdempotentAspect.engine());
    new Ledger().first("f-1");
    assertEquals(1, executed());
  }

  @Test
  void configureRefusesNull() {
    assertThrows(NullPointerException.class, () -> IdempotentAspect.configure(null));
  }

  @Test
  void wovenMethodReachedThroughAnotherAdapterRunsTheProtocolOnce() throws Throwable {
    Ledger ledger = new Ledger();
    Method first = Ledger.class.getDeclaredMethod("first", String.class);
    Object[] args = {"outer-1"};
    // The outer adapter (here the programmatic one) claims the call; the woven body must not run
    // the protocol again, and must not wait on the call its own thread holds.
    Object result = engine.invoke(first, args, () -> ledger.first((String) args[0]));
    assertEquals(result, engine.invoke(first, args, () -> ledger.first((String) args[0])));
    assertEquals(1, ledger.runs.get());
    assertEquals(1, executed());
  }

  private long executed() {
    return events.stream().filter(e -> e.type() == IdempotencyEvent.Type.EXECUTED).count();
  }
}
