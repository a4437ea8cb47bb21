package dev.idempotent.aspectj;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import org.aspectj.bridge.IMessage;
import org.aspectj.bridge.MessageHandler;
import org.aspectj.tools.ajc.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Misuse the compiler can see fails the build: each test compiles a small source with ajc and this
 * module's aspect on the aspect path, as a user's build does, and reads ajc's messages.
 */
class DeclareErrorTest {
  @TempDir Path dir;

  @Test
  void abstractIdempotentMethodIsACompileError() throws Exception {
    List<IMessage> errors =
        compile(
            "Payments.java",
            "package shop;\n"
                + "import dev.idempotent.Idempotent;\n"
                + "public abstract class Payments {\n"
                + "  @Idempotent(keyExpr = \"#id\")\n"
                + "  public abstract String charge(String id);\n"
                + "  public String checkout(String id) { return charge(id); }\n"
                + "}\n");
    assertEquals(1, errors.size(), errors::toString);
    String message = errors.get(0).getMessage();
    assertTrue(message.contains("abstract or interface method has no effect"), message);
    assertTrue(message.contains("put @Idempotent on the method of the class that implements it"));
    assertTrue(errors.get(0).getSourceLocation().getSourceFile().getName().equals("Payments.java"));
  }

  @Test
  void interfaceIdempotentMethodIsACompileError() throws Exception {
    List<IMessage> errors =
        compile(
            "Orders.java",
            "package shop;\n"
                + "import dev.idempotent.Idempotent;\n"
                + "interface Orders {\n"
                + "  @Idempotent String place(String id);\n"
                + "}\n"
                + "class Shop {\n"
                + "  String buy(Orders orders) { return orders.place(\"o-1\"); }\n"
                + "}\n");
    assertEquals(1, errors.size(), errors::toString);
    assertTrue(errors.get(0).getMessage().contains("abstract or interface method"));
  }

  @Test
  void unreplayableReturnTypeIsACompileError() throws Exception {
    List<IMessage> errors =
        compile(
            "Exports.java",
            "package shop;\n"
                + "import dev.idempotent.Idempotent;\n"
                + "import java.util.stream.Stream;\n"
                + "class Exports {\n"
                + "  @Idempotent Stream<String> lines(String id) { return Stream.of(id); }\n"
                + "}\n");
    assertEquals(1, errors.size(), errors::toString);
    assertTrue(errors.get(0).getMessage().contains("cannot be recorded and replayed"));
  }

  @Test
  void correctUseCompilesWithoutMessages() throws Exception {
    List<IMessage> errors =
        compile(
            "Refunds.java",
            "package shop;\n"
                + "import dev.idempotent.Idempotent;\n"
                + "import java.util.concurrent.CompletableFuture;\n"
                + "class Refunds {\n"
                + "  @Idempotent(keyExpr = \"#id\") String refund(String id) { return id; }\n"
                + "  @Idempotent(keyExpr = \"#id\") CompletableFuture<String> later(String id) {\n"
                + "    return CompletableFuture.completedFuture(id);\n"
                + "  }\n"
                + "}\n");
    assertEquals(List.of(), errors);
  }

  /** Compiles one source file with ajc; returns its errors, after checking it gave no warnings. */
  private List<IMessage> compile(String fileName, String source)
      throws IOException, URISyntaxException {
    Path file = dir.resolve("src").resolve(fileName);
    Files.createDirectories(file.getParent());
    Files.writeString(file, source, StandardCharsets.UTF_8);
    Path aspectPath =
        Paths.get(
            IdempotentAspect.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    List<String> args = new ArrayList<>();
    args.addAll(List.of("-17", "-proceedOnError", "-d", dir.resolve("out").toString()));
    args.addAll(List.of("-classpath", System.getProperty("java.class.path")));
    args.addAll(List.of("-aspectpath", aspectPath.toString()));
    args.add(file.toString());
    MessageHandler handler = new MessageHandler();
    new Main().run(args.toArray(new String[0]), handler);
    assertEquals(List.of(), List.of(handler.getMessages(IMessage.WARNING, false)), "ajc warned");
    return List.of(handler.getErrors());
  }
}
