package dev.idempotent.test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.Guice;
import com.google.inject.Injector;
import dev.idempotent.guice.IdempotencyModule;
import dev.idempotent.test.guice.GuicePayments;
import java.lang.reflect.Method;
import java.util.List;
import org.junit.jupiter.api.Test;

class IdempotentMethodsCheckTest {

  @Test
  void aWovenPackagePasses() {
    IdempotentMethodsCheck check = IdempotentMethodsCheck.inPackages("dev.idempotent.test.woven");
    check.assertWoven();
    List<Method> methods = check.idempotentMethods();
    assertEquals(10, methods.size(), methods.toString());
  }

  @Test
  void anUnwovenClassFailsWithTheListOfItsMethods() {
    AssertionError e =
        assertThrows(
            AssertionError.class,
            () -> IdempotentMethodsCheck.inPackages("dev.idempotent.test").assertWoven());
    String message = e.getMessage();
    assertTrue(
        message.contains(
            "4 methods under [dev.idempotent.test] run unprotected (14 @Idempotent methods found)"),
        message);
    assertTrue(
        message.contains(
            "  - dev.idempotent.test.unwoven.UnwovenPayments.charge(ChargeRequest): not woven"),
        message);
    assertTrue(message.contains("dev.idempotent.test.guice.GuicePayments.charge"), message);
    assertTrue(message.contains("dev.idempotent.test.guice.Unbound.handle(String)"), message);
    assertTrue(message.contains("aspectj-maven-plugin"), message);
  }

  @Test
  void guiceInterceptionCoversTheClassesTheInjectorConstructs() {
    Injector injector =
        Guice.createInjector(
            new IdempotencyModule(),
            binder -> binder.bind(Gateway.class).toInstance(new Gateway()),
            binder -> binder.bind(GuicePayments.class));
    assertEquals(
        2,
        IdempotentMethodsCheck.inPackages("dev.idempotent.test.guice")
            .using(getClass().getClassLoader())
            .idempotentMethods()
            .size());
    AssertionError e =
        assertThrows(
            AssertionError.class,
            () ->
                IdempotentMethodsCheck.inPackages(
                        "dev.idempotent.test.guice", "dev.idempotent.test.woven")
                    .assertWovenOrIntercepted(GuiceInterception.of(injector)));
    String message = e.getMessage();
    assertTrue(
        message.contains(
            "1 method under [dev.idempotent.test.guice, dev.idempotent.test.woven] run unprotected"),
        message);
    assertTrue(
        message.contains(
            "dev.idempotent.test.guice.Unbound.handle(String): not woven, and not intercepted:"
                + " the injector constructs no dev.idempotent.test.guice.Unbound"),
        message);
  }

  @Test
  void aClassGuiceConstructsWithoutTheModuleIsReported() {
    Injector injector =
        Guice.createInjector(
            binder -> binder.bind(Gateway.class).toInstance(new Gateway()),
            binder -> binder.bind(GuicePayments.class));
    Method charge =
        IdempotentMethodsCheck.inPackages("dev.idempotent.test.guice").idempotentMethods().get(0);
    String why = GuiceInterception.of(injector).whyNotIntercepted(charge);
    assertTrue(why.contains("does not intercept the method: install IdempotencyModule"), why);
  }

  @Test
  void anOverrideThatDroppedTheAnnotationIsReported() {
    AssertionError e =
        assertThrows(
            AssertionError.class,
            () -> IdempotentMethodsCheck.inPackages("dev.idempotent.test.overrides").assertWoven());
    assertTrue(
        e.getMessage()
            .contains(
                "1 method under [dev.idempotent.test.overrides] run unprotected (1 @Idempotent"
                    + " methods found):\n  - dev.idempotent.test.overrides.FastRefunds.refund(String):"
                    + " it overrides @Idempotent dev.idempotent.test.overrides.Refunds.refund(String)"
                    + " without the annotation"),
        e.getMessage());
  }

  @Test
  void aPackageWithoutIdempotentMethodsFailsInsteadOfPassing() {
    AssertionError e =
        assertThrows(
            AssertionError.class,
            () -> IdempotentMethodsCheck.inPackages("dev.idempotent.no.such.pkg").assertWoven());
    assertTrue(
        e.getMessage().contains("found no @Idempotent method under [dev.idempotent.no.such.pkg]"));
  }

  @Test
  void classesInJarsAreFoundToo() {
    List<Method> methods = IdempotentMethodsCheck.inPackages("org.opentest4j").idempotentMethods();
    assertTrue(methods.isEmpty());
    assertTrue(
        ClassPathScanner.classNames(getClass().getClassLoader(), "org.opentest4j")
            .contains("org.opentest4j.AssertionFailedError"));
  }
}
