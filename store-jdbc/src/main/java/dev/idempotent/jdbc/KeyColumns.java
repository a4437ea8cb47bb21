package dev.idempotent.jdbc;

import dev.idempotent.store.IdempotencyKey;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * A key as the table keeps it: the SHA-256 of {@link IdempotencyKey#asString()} (UTF-8) as the
 * primary key, and the namespace and value in full for operators. Hashing bounds the indexed part
 * at 32 bytes whatever the key's length: a 10,000-character key fits neither InnoDB's 3,072-byte
 * index limit nor PostgreSQL's B-tree entry limit of about 2,700 bytes. Immutable.
 */
final class KeyColumns {
  final byte[] hash;
  final String namespace;
  final String value;

  private KeyColumns(byte[] hash, String namespace, String value) {
    this.hash = hash;
    this.namespace = namespace;
    this.value = value;
  }

  static KeyColumns of(IdempotencyKey key) {
    return new KeyColumns(hash(key), readable(key.namespace()), readable(key.value()));
  }

  /** The primary key of {@code key}'s record. */
  static byte[] hash(IdempotencyKey key) {
    try {
      return MessageDigest.getInstance("SHA-256")
          .digest(key.asString().getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  /**
   * The text kept for operators. PostgreSQL's text cannot hold NUL, so a NUL becomes U+FFFD here;
   * the record's identity is the hash of the exact key, which this does not touch.
   */
  private static String readable(String s) {
    return s.indexOf('\0') < 0 ? s : s.replace('\0', '\uFFFD');
  }
}
