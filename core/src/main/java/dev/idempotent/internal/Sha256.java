package dev.idempotent.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * SHA-256 for the engine: the hex form of argument fingerprints and the URL-safe Base64 form of
 * hashed keys. One digest per thread, cloned from a prototype to skip the provider lookup.
 * Thread-safe.
 */
public final class Sha256 {
  private static final MessageDigest PROTOTYPE = lookUp();
  private static final ThreadLocal<MessageDigest> DIGESTS = ThreadLocal.withInitial(Sha256::fresh);
  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.ISO_8859_1);

  private Sha256() {}

  /**
   * The SHA-256 of {@code bytes}, as 64 lowercase hex digits.
   *
   * @param bytes what to hash
   * @return the hex digest
   */
  public static String hex(byte[] bytes) {
    return hex(bytes, bytes.length);
  }

  /**
   * The SHA-256 of the first {@code length} bytes of {@code bytes}, as 64 lowercase hex digits.
   *
   * @param bytes what to hash
   * @param length how many bytes from the start
   * @return the hex digest
   */
  public static String hex(byte[] bytes, int length) {
    MessageDigest sha256 = DIGESTS.get();
    sha256.update(bytes, 0, length);
    byte[] digest = sha256.digest();
    byte[] hex = new byte[digest.length * 2];
    for (int i = 0; i < digest.length; i++) {
      hex[2 * i] = HEX[(digest[i] >> 4) & 0xf];
      hex[2 * i + 1] = HEX[digest[i] & 0xf];
    }
    return new String(hex, StandardCharsets.ISO_8859_1);
  }

  /**
   * The SHA-256 of the UTF-8 bytes of {@code text}, as URL-safe Base64 without padding (43
   * characters): the form of a hashed key.
   *
   * @param text well-formed text
   * @return the Base64 digest
   */
  public static String base64Url(String text) {
    MessageDigest sha256 = DIGESTS.get();
    byte[] digest = sha256.digest(text.getBytes(StandardCharsets.UTF_8));
    return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
  }

  private static MessageDigest fresh() {
    try {
      return (MessageDigest) PROTOTYPE.clone();
    } catch (CloneNotSupportedException e) {
      return lookUp();
    }
  }

  private static MessageDigest lookUp() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  }
}
