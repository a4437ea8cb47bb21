package dev.idempotent.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The two forms of SHA-256 the engine stores, pinned: a hashed key ({@code hashKeys(true)}) and an
 * argument fingerprint are kept in stores, so a different digest or encoding would make every
 * existing record unreachable. Expected values from an independent SHA-256 (Python's hashlib).
 */
class Sha256Test {

  @Test
  void hashedKeysAreUrlSafeBase64WithoutPadding() {
    assertEquals("ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0", Sha256.base64Url("abc"));
    assertEquals("EyQU24vh1UbOyEcArAAhfwo5g_DfRNCGofmmhEFSTpI", Sha256.base64Url("2:t1:order-42"));
    assertEquals("35Imkn_VcsHuZu7IXeG7E5SXYUiZ825OkEdMtx9u-dA", Sha256.base64Url("é€😀"));
  }

  @Test
  void fingerprintsAreLowerCaseHexOfTheGivenBytesOnly() {
    byte[] abc = "abc".getBytes(StandardCharsets.UTF_8);
    assertEquals(
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", Sha256.hex(abc));
    byte[] padded = "abcXYZ".getBytes(StandardCharsets.UTF_8);
    assertEquals(Sha256.hex(abc), Sha256.hex(padded, 3));
  }
}
