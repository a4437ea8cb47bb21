package dev.idempotent.aspectj;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.idempotent.IdempotencyEngine;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link IdempotentAspect#verifyWoven} finds the methods that weaving left unprotected. */
class VerifyWovenTest {
  @TempDir Path dir;
  private IdempotentAspect.Registration registration;

  @BeforeEach
  void configure() {
    registration = IdempotentAspect.configure(IdempotencyEngine.builder().build());
  }

  @AfterEach
  void closeRegistration() {
    registration.close();
  }

  @Test
  void wovenClassesPass() {
    IdempotentAspect.verifyWoven(Ledger.class, InterfaceFixtures.Annotated.class);
  }

  @Test
  void classCompiledByPlainJavacFails() throws Exception {
    Path source = dir.resolve("src/shop/Payments.java");
    Files.createDirectories(source.getParent());
    Files.writeString(
        source,
        "package shop;\n"
            + "import dev.idempotent.Idempotent;\n"
            + "public class Payments {\n"
            + "  public int runs;\n"
            + "  @Idempotent(keyExpr = \"#id\")\n"
            + "  public String charge(String id) { return id + \" #\" + ++runs; }\n"
            + "}\n",
        StandardCharsets.UTF_8);
    Path classes = dir.resolve("classes");
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    int exit =
        javac.run(
            null,
            null,
            null,
            "-d",
            classes.toString(),
            "-classpath",
            System.getProperty("java.class.path"),
            source.toString());
    assertEquals(0, exit, "javac failed");
    try (URLClassLoader loader =
        new URLClassLoader(new URL[] {classes.toUri().toURL()}, getClass().getClassLoader())) {
      Class<?> payments = loader.loadClass("shop.Payments");
      Object instance = payments.getConstructor().newInstance();
      payments.getMethod("charge", String.class).invoke(instance, "c-1");
      payments.getMethod("charge", String.class).invoke(instance, "c-1");
      assertEquals(2, payments.getField("runs").getInt(instance), "premise: unwoven runs twice");

      IllegalStateException e =
          assertThrows(IllegalStateException.class, () -> IdempotentAspect.verifyWoven(payments));
      String message = e.getMessage();
      assertTrue(message.contains("shop.Payments.charge(String) is not woven"), message);
      assertTrue(message.contains("compiled by plain javac"), message);
      assertTrue(message.contains("<forceAjcCompile>true</forceAjcCompile>"), message);
      assertTrue(message.contains("-javaagent:aspectjweaver.jar"), message);
    }
  }

  @Test
  void implementationOfAnAnnotatedInterfaceMethodWithoutTheAnnotationFails() {
    InterfaceFixtures.CardCharges charges = new InterfaceFixtures.CardCharges();
    charges.charge("c-1");
    charges.charge("c-1");
    assertEquals(2, charges.runs.get(), "premise: the implementation is not protected");

    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> IdempotentAspect.verifyWoven(InterfaceFixtures.CardCharges.class));
    String message = e.getMessage();
    assertTrue(
        message.contains(
            "InterfaceFixtures$CardCharges.charge(String) implements"
                + " dev.idempotent.aspectj.InterfaceFixtures$Charges.charge(String), which is"
                + " @Idempotent, but carries no @Idempotent itself"),
        message);
    assertTrue(message.contains("remove it from the interface method"), message);
  }

  @Test
  void implementationOfAGenericAnnotatedInterfaceMethodFails() {
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> IdempotentAspect.verifyWoven(InterfaceFixtures.RefundHandler.class));
    assertTrue(
        e.getMessage().contains("InterfaceFixtures$RefundHandler.handle(String) implements"),
        e.getMessage());
  }

  @Test
  void overrideOfAWovenMethodWithoutTheAnnotationFails() {
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> IdempotentAspect.verifyWoven(InterfaceFixtures.UnannotatedOverride.class));
    assertTrue(
        e.getMessage().contains("InterfaceFixtures$UnannotatedOverride.pay(String) overrides"),
        e.getMessage());
  }

  @Test
  void everyProblemIsListedOnce() {
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () ->
                IdempotentAspect.verifyWoven(
                    InterfaceFixtures.CardCharges.class,
                    InterfaceFixtures.UnannotatedOverride.class,
                    InterfaceFixtures.CardCharges.class));
    List<String> items = e.getMessage().lines().filter(l -> l.startsWith("  - ")).toList();
    assertEquals(2, items.size(), e.getMessage());
    assertTrue(e.getMessage().contains("2 methods are not protected"), e.getMessage());
  }
}
