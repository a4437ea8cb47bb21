package dev.idempotent.samples.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The testing guide's Spring example is {@link ChargeServiceTest}, which this module compiles and
 * runs: this test fails when the two drift apart.
 */
class TestingGuideExampleTest {
  private static final String SOURCE =
      "src/test/java/dev/idempotent/samples/spring/ChargeServiceTest.java";
  private static final String MARKER = "<!-- compiled: samples/spring-boot/" + SOURCE + " -->";

  @Test
  void theTestingGuideShowsTheCompiledSpringExampleVerbatim() throws IOException {
    String source = Files.readString(Path.of(SOURCE), StandardCharsets.UTF_8);
    String example = source.substring(source.indexOf("import ")).strip();
    String page = Files.readString(Path.of("../../docs/testing.md"), StandardCharsets.UTF_8);
    int marker = page.indexOf(MARKER);
    assertTrue(marker >= 0, "docs/testing.md lacks the marker " + MARKER);
    int start = page.indexOf("```java\n", marker) + "```java\n".length();
    assertEquals(example, page.substring(start, page.indexOf("```", start)).strip());
  }
}
