package dev.idempotent.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Skips (or, when servers are required, fails) a {@link RequiresServer} class whose servers are
 * missing, and appends the skip to the file named by the system property {@code
 * idempotent.skippedServerTests}, which the build prints at its end.
 */
final class ServerCondition implements ExecutionCondition {
  /** Set to true (CI does) to turn a skip for a missing server into a failure. */
  static final String REQUIRE = "idempotent.requireServers";

  /** The file the build's summary of skipped server tests is read from. */
  static final String REPORT = "idempotent.skippedServerTests";

  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    Optional<Class<?>> testClass = context.getTestClass();
    if (testClass.isEmpty()) {
      return ConditionEvaluationResult.enabled("no test class");
    }
    // The class's servers are checked once for the class; a method is checked for its own.
    Optional<RequiresServer> annotation =
        context.getTestMethod().isPresent()
            ? AnnotationSupport.findAnnotation(context.getTestMethod().get(), RequiresServer.class)
            : AnnotationSupport.findAnnotation(testClass.get(), RequiresServer.class);
    if (annotation.isEmpty()) {
      return ConditionEvaluationResult.enabled("needs no server");
    }
    List<TestServer> missing = new ArrayList<>();
    for (TestServer server : annotation.get().value()) {
      if (!server.available()) {
        missing.add(server);
      }
    }
    if (missing.isEmpty()) {
      return ConditionEvaluationResult.enabled("its servers answer");
    }
    String subject =
        testClass.get().getSimpleName()
            + context.getTestMethod().map(m -> "." + m.getName()).orElse("");
    String reason = reason(subject, missing);
    if (Boolean.getBoolean(REQUIRE)) {
      throw new IllegalStateException(
          reason + " This build requires every server (-D" + REQUIRE + "=true), so it fails.");
    }
    record(subject, missing);
    return ConditionEvaluationResult.disabled(reason);
  }

  private static String reason(String subject, List<TestServer> missing) {
    StringBuilder sb = new StringBuilder(subject).append(" needs ");
    for (int i = 0; i < missing.size(); i++) {
      sb.append(i == 0 ? "" : " and ").append(missing.get(i).description());
    }
    return sb.append(", which is missing.").toString();
  }

  private static void record(String subject, List<TestServer> missing) {
    String file = System.getProperty(REPORT);
    if (file == null || file.isEmpty()) {
      return;
    }
    Path path = Path.of(file);
    StringBuilder text = new StringBuilder();
    if (!Files.exists(path)) {
      text.append("Tests were SKIPPED because servers they need are missing: the stores are not")
          .append(" proven by this build.\n")
          .append("Start the servers (.ci/run starts them where they are installed), then run")
          .append(" mvn -B verify again. CI runs with -D")
          .append(REQUIRE)
          .append("=true, where a missing server fails the build.\n");
    }
    for (TestServer server : missing) {
      text.append("  ")
          .append(System.getProperty("idempotent.module", "?"))
          .append(": ")
          .append(subject)
          .append(" needs ")
          .append(server.description())
          .append("; start it with: ")
          .append(server.howToStart())
          .append('\n');
    }
    try {
      Files.createDirectories(path.getParent());
      Files.writeString(
          path, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the summary of skipped server tests", e);
    }
  }
}
