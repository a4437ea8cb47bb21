package dev.idempotent.guice;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.inject.Guice;
import org.junit.jupiter.api.Test;

/**
 * Guice subclasses the classes it intercepts, so {@code this} inside an instance it created is the
 * subclass: a call of an {@code @Idempotent} method from inside its own class is intercepted too.
 */
class SelfCallTest {

  @Test
  void callFromInsideTheClassIsIntercepted() {
    Fixtures.Checkout checkout =
        Guice.createInjector(new IdempotencyModule()).getInstance(Fixtures.Checkout.class);
    String both = checkout.checkoutTwice("o-1");
    assertEquals("charged o-1 #1 / charged o-1 #1", both);
    assertEquals(1, checkout.runs.get());
  }
}
