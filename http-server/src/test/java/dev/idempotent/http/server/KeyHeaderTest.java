package dev.idempotent.http.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class KeyHeaderTest {

  private static String parse(String field) throws KeyHeader.InvalidKey {
    return KeyHeader.parse(field, 16);
  }

  private static String refused(String field) {
    return assertThrows(KeyHeader.InvalidKey.class, () -> parse(field), field).getMessage();
  }

  @Test
  void structuredFieldStringIsUnquotedAndUnescaped() throws Exception {
    assertEquals("abc", parse("\"abc\""));
    assertEquals("a\"b\\c", parse("\"a\\\"b\\\\c\""));
    assertEquals("with space", parse(" \"with space\"\t"));
  }

  @Test
  void parametersAfterTheStringAreCheckedAndIgnored() throws Exception {
    assertEquals("abc", parse("\"abc\";v=1;x;y=\"z\";w=?1"));
    assertTrue(refused("\"abc\";").contains("without a name"));
    assertTrue(refused("\"abc\";Up=1").contains("without a name"));
    assertTrue(refused("\"abc\";v=").contains("no value"));
    assertTrue(refused("\"abc\";v=\"open").contains("not closed"));
  }

  @Test
  void bareTokensAreAccepted() throws Exception {
    assertEquals("8e03978e-40d5", parse("8e03978e-40d5"));
    assertEquals("a/b:c=d+e", parse("a/b:c=d+e"));
  }

  @Test
  void everyControlCharacterAndNonAsciiIsRefusedInBothForms() {
    for (char c = 0; c < 0x20; c++) {
      if (c == '\t') {
        continue;
      }
      assertTrue(refused("a" + c + "b").contains("printable ASCII"), "U+" + (int) c);
      assertTrue(refused("\"a" + c + "b\"").contains("printable ASCII"), "U+" + (int) c);
    }
    assertTrue(refused("\"a\tb\"").contains("printable ASCII"));
    assertTrue(refused("a\u007fb").contains("U+007F"));
    assertTrue(refused("\"a\u00e9\"").contains("U+00E9"));
    assertTrue(refused("a\u2028").contains("U+2028"));
  }

  @Test
  void malformedSyntaxIsRefusedWithTheReason() {
    assertTrue(refused("").contains("empty"));
    assertTrue(refused("\"\"").contains("empty"));
    assertTrue(refused("\"abc").contains("does not close"));
    assertTrue(refused("\"a\\b\"").contains("backslash"));
    assertTrue(refused("\"a\" b").contains("after the quoted key"));
    assertTrue(refused("\"a\", \"b\"").contains("more than one"));
    assertTrue(refused("a,b").contains("more than one"));
    assertTrue(refused("a b").contains("quoted string"));
    assertTrue(refused("a\"b").contains("quoted string"));
  }

  @Test
  void keysLongerThanTheLimitAreRefusedInBothForms() throws Exception {
    assertEquals("x".repeat(16), parse("x".repeat(16)));
    assertEquals("x".repeat(16), parse("\"" + "x".repeat(16) + "\""));
    assertTrue(refused("x".repeat(17)).contains("longer than 16"));
    assertTrue(refused("\"" + "x".repeat(17) + "\"").contains("longer than 16"));
    assertTrue(refused("x".repeat(100_000)).contains("longer than 16"));
  }
}
