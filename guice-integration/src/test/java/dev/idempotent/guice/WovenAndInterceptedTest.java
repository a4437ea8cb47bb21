package dev.idempotent.guice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.Guice;
import dev.idempotent.IdempotencyEngine;
import dev.idempotent.IdempotencyEvent;
import dev.idempotent.aspectj.IdempotentAspect;
import dev.idempotent.guice.woven.WovenInventory;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A class woven by idempotent-aspectj and created by Guice: a call passes Guice's interceptor and
 * then the woven advice, and still runs the protocol once (the interceptor claims the call, the
 * advice finds the claim and runs the body directly), without waiting on itself.
 */
class WovenAndInterceptedTest {
  private final List<IdempotencyEvent> events = new CopyOnWriteArrayList<>();
  private WovenInventory inventory;

  @BeforeEach
  void createInjector() {
    IdempotencyEngine engine = IdempotencyEngine.builder().listener(events::add).build();
    IdempotentAspect.configure(engine);
    inventory =
        Guice.createInjector(
                new IdempotencyModule(engine), binder -> binder.bind(WovenInventory.class))
            .getInstance(WovenInventory.class);
  }

  @Test
  void callThroughBothAdaptersRunsTheProtocolOnce() {
    assertNotEquals(WovenInventory.class, inventory.getClass(), "Guice did not intercept");
    String first = inventory.reserve("r-1");
    String stack = inventory.lastStack();
    assertTrue(stack.contains(IdempotencyInterceptor.class.getName() + ".invoke"), stack);
    assertTrue(stack.contains("$advice"), "the woven advice was not on the stack:\n" + stack);

    assertEquals(first, inventory.reserve("r-1"));
    assertEquals(1, inventory.runs());
    assertEquals(1, count(IdempotencyEvent.Type.EXECUTED), events::toString);
    assertEquals(1, count(IdempotencyEvent.Type.REPLAYED), events::toString);
  }

  @Test
  void privateAndFinalWovenMethodsAreNoCreationErrorAndAreProtected() {
    assertEquals(inventory.release("r-2"), inventory.release("r-2"));
    assertEquals(inventory.audit("r-3"), inventory.audit("r-3"));
    assertEquals(2, inventory.runs());
  }

  private long count(IdempotencyEvent.Type type) {
    return events.stream().filter(e -> e.type() == type).count();
  }
}
