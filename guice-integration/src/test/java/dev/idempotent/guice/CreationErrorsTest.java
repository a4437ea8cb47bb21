package dev.idempotent.guice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.ConfigurationException;
import com.google.inject.CreationException;
import com.google.inject.Guice;
import com.google.inject.Injector;
import org.junit.jupiter.api.Test;

/**
 * An {@code @Idempotent} method Guice cannot intercept, on a type it provisions, fails injector
 * creation with a message naming the class, the method and the reason; it never runs unprotected.
 */
class CreationErrorsTest {

  private static String creationError(Class<?> type) {
    CreationException e =
        assertThrows(
            CreationException.class,
            () -> Guice.createInjector(new IdempotencyModule(), binder -> binder.bind(type)));
    assertEquals(1, e.getErrorMessages().size(), e::getMessage);
    return e.getErrorMessages().iterator().next().getMessage();
  }

  @Test
  void finalClassIsACreationError() {
    String message = creationError(Fixtures.FinalClass.class);
    assertTrue(message.contains(Fixtures.FinalClass.class.getName() + ".charge(String)"), message);
    assertTrue(message.contains("is final"), message);
    assertTrue(message.contains("Remove final from the class"), message);
  }

  @Test
  void finalMethodIsACreationError() {
    String message = creationError(Fixtures.FinalMethod.class);
    assertTrue(message.contains(Fixtures.FinalMethod.class.getName() + ".charge(String)"), message);
    assertTrue(message.contains("the method is final"), message);
  }

  @Test
  void privateMethodIsACreationError() {
    String message = creationError(Fixtures.PrivateMethod.class);
    assertTrue(
        message.contains(Fixtures.PrivateMethod.class.getName() + ".charge(String)"), message);
    assertTrue(message.contains("the method is private"), message);
    assertTrue(message.contains("weave the class with idempotent-aspectj"), message);
  }

  @Test
  void staticMethodIsACreationError() {
    String message = creationError(Fixtures.StaticMethod.class);
    assertTrue(message.contains("the method is static"), message);
  }

  @Test
  void overrideWithoutTheAnnotationIsACreationError() {
    String message = creationError(Fixtures.UnannotatedOverride.class);
    assertTrue(message.contains(Fixtures.Payments.class.getName() + ".charge(String)"), message);
    assertTrue(
        message.contains(
            "overridden by " + Fixtures.UnannotatedOverride.class.getName() + ".charge(String)"),
        message);
  }

  @Test
  void annotationOnlyOnTheInterfaceIsACreationError() {
    String message = creationError(Fixtures.InterfaceOnly.class);
    assertTrue(message.contains(Fixtures.Charging.class.getName() + ".charge(String)"), message);
    assertTrue(message.contains("annotations are not inherited"), message);
  }

  @Test
  void typeMetAfterCreationIsAConfigurationErrorWhenFirstMet() {
    Injector injector = Guice.createInjector(new IdempotencyModule());
    ConfigurationException e =
        assertThrows(
            ConfigurationException.class, () -> injector.getInstance(Fixtures.FinalMethod.class));
    assertTrue(e.getMessage().contains("the method is final"), e.getMessage());
  }
}
