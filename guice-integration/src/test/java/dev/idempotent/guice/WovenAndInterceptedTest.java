package dev.idempotent.guice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.Guice;
import com.google.inject.matcher.Matchers;
import dev.idempotent.IdempotencyEngine;
import dev.idempotent.IdempotencyEvent;
import dev.idempotent.IdempotencyInProgressException;
import dev.idempotent.aspectj.IdempotentAspect;
import dev.idempotent.guice.woven.WovenInventory;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.aopalliance.intercept.MethodInterceptor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A class woven by idempotent-aspectj and created by Guice runs the protocol once per call, in the
 * aspect's engine, whatever engine the module has: the woven advice owns woven methods, on every
 * path, and the module leaves them to it.
 */
class WovenAndInterceptedTest {
  private final List<IdempotencyEvent> moduleEvents = new CopyOnWriteArrayList<>();
  private final List<IdempotencyEvent> aspectEvents = new CopyOnWriteArrayList<>();
  private final IdempotencyEngine moduleEngine =
      IdempotencyEngine.builder().listener(moduleEvents::add).build();
  private final IdempotencyEngine aspectEngine =
      IdempotencyEngine.builder().listener(aspectEvents::add).build();

  /** Another interceptor on the class, so Guice subclasses it and calls the woven method. */
  private static final MethodInterceptor TRACING = invocation -> invocation.proceed();

  private IdempotentAspect.Registration registration;

  @AfterEach
  void closeRegistration() {
    if (registration != null) {
      registration.close();
    }
  }

  private WovenInventory create(IdempotencyEngine forModule) {
    registration = IdempotentAspect.configure(aspectEngine);
    return Guice.createInjector(
            new IdempotencyModule(forModule),
            binder -> {
              binder.bind(WovenInventory.class);
              binder.bindInterceptor(
                  Matchers.subclassesOf(WovenInventory.class), Matchers.any(), TRACING);
            })
        .getInstance(WovenInventory.class);
  }

  @Test
  void guiceSubclassCallingTheWovenMethodRunsTheProtocolOnce() {
    WovenInventory inventory = create(moduleEngine);
    assertNotEquals(WovenInventory.class, inventory.getClass(), "Guice did not subclass it");
    String first = inventory.reserve("r-1", 5000);
    String stack = inventory.lastStack();
    assertTrue(stack.contains("$advice"), "the woven advice was not on the stack:\n" + stack);
    assertFalse(stack.contains(IdempotencyInterceptor.class.getName()), stack);

    assertEquals(first, inventory.reserve("r-1", 5000));
    assertEquals(1, inventory.runs());
    assertEquals(1, count(aspectEvents, IdempotencyEvent.Type.EXECUTED), aspectEvents::toString);
    assertEquals(1, count(aspectEvents, IdempotencyEvent.Type.REPLAYED), aspectEvents::toString);
    assertEquals(List.of(), moduleEvents, "the module's engine ran the protocol too");
  }

  @Test
  void sharedEngineRunsTheProtocolOnce() {
    WovenInventory inventory = create(aspectEngine);
    assertEquals(inventory.reserve("r-2", 1), inventory.reserve("r-2", 1));
    assertEquals(1, inventory.runs());
    assertEquals(1, count(aspectEvents, IdempotencyEvent.Type.EXECUTED), aspectEvents::toString);
  }

  @Test
  void privateAndFinalWovenMethodsAreNoCreationErrorAndAreProtected() {
    WovenInventory inventory = create(moduleEngine);
    assertEquals(inventory.release("r-3"), inventory.release("r-3"));
    assertEquals(inventory.audit("r-4"), inventory.audit("r-4"));
    assertEquals(2, inventory.runs());
  }

  @Test
  void wovenBodyCallingItselfOnceThroughTheGuiceSubclassIsRefusedAsReentrant() {
    WovenInventory inventory = create(moduleEngine);
    IdempotencyInProgressException e =
        assertThrows(IdempotencyInProgressException.class, () -> inventory.recount("r-5"));
    assertTrue(e.getMessage().contains("re-entrant call"), e.getMessage());
    assertEquals(1, inventory.runs(), "the nested call ran its body unprotected");
  }

  private static long count(List<IdempotencyEvent> events, IdempotencyEvent.Type type) {
    return events.stream().filter(e -> e.type() == type).count();
  }
}
