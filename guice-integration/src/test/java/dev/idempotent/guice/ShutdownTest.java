package dev.idempotent.guice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.Guice;
import com.google.inject.Injector;
import dev.idempotent.IdempotencyEngine;
import org.junit.jupiter.api.Test;

/** Closing the injector's engine at shutdown, as docs/guice.md says to. */
class ShutdownTest {

  @Test
  void closedEngineRefusesInterceptedCallsWithoutRunningTheBody() {
    Injector injector = Guice.createInjector(new IdempotencyModule());
    Fixtures.Payments payments = injector.getInstance(Fixtures.Payments.class);
    payments.charge("p-1");

    IdempotencyEngine engine = injector.getInstance(IdempotencyEngine.class);
    engine.close();

    IllegalStateException refused =
        assertThrows(IllegalStateException.class, () -> payments.charge("p-2"));
    assertTrue(refused.getMessage().contains("Fixtures$Payments.charge"), refused.getMessage());
    assertTrue(refused.getMessage().contains("is closed"), refused.getMessage());
    assertEquals(1, payments.runs.get(), "a closed engine ran the body");
    assertTrue(injector.getInstance(IdempotencyEngine.class).isClosed(), "not the singleton");
  }
}
