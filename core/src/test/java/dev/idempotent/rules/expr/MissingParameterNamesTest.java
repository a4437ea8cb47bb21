package dev.idempotent.rules.expr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.idempotent.IdempotencyDefinitionException;
import java.io.IOException;
import java.io.StringWriter;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A class compiled without {@code -parameters} has no parameter names at run time: a name in a key
 * expression is then a definition error that points to the positional form, which keeps working.
 */
class MissingParameterNamesTest {
  private static final String SOURCE =
      String.join(
          "\n",
          "package com.example;",
          "",
          "public class Payments {",
          "  record ChargeCommand(String id, long cents) {}",
          "",
          "  public static Object command(String id, long cents) {",
          "    return new ChargeCommand(id, cents);",
          "  }",
          "",
          "  public void charge(ChargeCommand cmd, String tenant) {}",
          "}",
          "");

  @TempDir static Path classes;
  private static URLClassLoader loader;
  private static Method charge;
  private static Object command;

  @BeforeAll
  static void compileWithoutParameterNames() throws Exception {
    Path source = classes.resolve("src/com/example/Payments.java");
    Files.createDirectories(source.getParent());
    Files.writeString(source, SOURCE);
    Path output = Files.createDirectories(classes.resolve("out"));
    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    StringWriter diagnostics = new StringWriter();
    try (StandardJavaFileManager files = compiler.getStandardFileManager(null, null, null)) {
      boolean compiled =
          compiler
              .getTask(
                  diagnostics,
                  files,
                  null,
                  List.of("--release", "17", "-d", output.toString()),
                  null,
                  files.getJavaFileObjects(source))
              .call();
      assertTrue(compiled, diagnostics::toString);
    }
    loader =
        new URLClassLoader(
            new URL[] {output.toUri().toURL()}, MissingParameterNamesTest.class.getClassLoader());
    Class<?> payments = loader.loadClass("com.example.Payments");
    charge =
        Arrays.stream(payments.getMethods())
            .filter(method -> method.getName().equals("charge"))
            .findFirst()
            .orElseThrow();
    command = payments.getMethod("command", String.class, long.class).invoke(null, "c-1", 250L);
  }

  @AfterAll
  static void closeLoader() throws IOException {
    loader.close();
  }

  @Test
  void theFixtureHasNoParameterNames() {
    assertFalse(charge.getParameters()[0].isNamePresent());
  }

  @Test
  void aNameIsADefinitionErrorThatSuggestsPositions() {
    IdempotencyDefinitionException error =
        assertThrows(
            IdempotencyDefinitionException.class, () -> KeyExpression.compile(charge, "#cmd.id"));
    assertEquals(
        "@Idempotent(keyExpr = \"#cmd.id\") on com.example.Payments.charge(ChargeCommand, String):"
            + " parameter '#cmd' at column 1 cannot be found by name: the class file has no"
            + " parameter names (compile with -parameters); refer to parameters by position"
            + " instead: #p0 (ChargeCommand), #p1 (String).",
        error.getMessage());
  }

  @Test
  void positionsWork() {
    Object[] args = {command, "acme"};
    assertEquals("c-1", KeyExpression.compile(charge, "#p0.id").evaluate(args));
    assertEquals(
        "acme/250", KeyExpression.compile(charge, "#a1 + '/' + #args[0].cents").evaluate(args));
  }
}
