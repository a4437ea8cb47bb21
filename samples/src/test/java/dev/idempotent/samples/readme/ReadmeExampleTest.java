package dev.idempotent.samples.readme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The README's testing example is {@link PaymentServiceTest}, which this module compiles and runs:
 * this test fails when the two drift apart.
 */
class ReadmeExampleTest {
  private static final String SOURCE =
      "src/test/java/dev/idempotent/samples/readme/PaymentServiceTest.java";
  private static final String MARKER = "<!-- compiled: samples/" + SOURCE + " -->";

  @Test
  void theReadmeShowsTheCompiledExampleVerbatim() throws IOException {
    assertEquals(example(), block(Path.of("../README.md")));
  }

  @Test
  void theTestingGuideShowsTheCompiledExampleVerbatim() throws IOException {
    assertEquals(example(), block(Path.of("../docs/testing.md")));
  }

  /** The example's source without its package line. */
  private static String example() throws IOException {
    String source = Files.readString(Path.of(SOURCE), StandardCharsets.UTF_8);
    return source.substring(source.indexOf("import ")).strip();
  }

  /** The java block that follows the marker in {@code page}. */
  private static String block(Path page) throws IOException {
    String text = Files.readString(page, StandardCharsets.UTF_8);
    int marker = text.indexOf(MARKER);
    assertTrue(marker >= 0, page + " lacks the marker " + MARKER);
    int start = text.indexOf("```java\n", marker) + "```java\n".length();
    int end = text.indexOf("```", start);
    return text.substring(start, end).strip();
  }
}
