package dev.idempotent.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

/**
 * The fingerprint of a call for a store that keeps its records in this JVM: SipHash-1-3, 64 bits,
 * keyed with 128 random bits drawn once per class loader. A fingerprint that never leaves the JVM
 * does not need a stable cryptographic digest; it needs two different payloads of one key never to
 * pass for each other. SipHash is a pseudo-random function of its key: without the key, which
 * nothing outside this class sees, two different inputs share a value with probability 2^-64, and
 * no input can be chosen to collide with another. Shared stores keep the SHA-256 fingerprint, which
 * is the same in every JVM. Thread-safe.
 */
public final class LocalHash {
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private static final long K0;
  private static final long K1;

  static {
    SecureRandom random = new SecureRandom();
    K0 = random.nextLong();
    K1 = random.nextLong();
  }

  private LocalHash() {}

  /**
   * The hash of the first {@code length} bytes of {@code bytes}.
   *
   * @param bytes what to hash
   * @param length how many bytes from the start
   * @return the hash
   */
  public static long of(byte[] bytes, int length) {
    return of(K0, K1, bytes, length);
  }

  /** SipHash-1-3 with the given key, for tests against a reference. */
  static long of(long k0, long k1, byte[] bytes, int length) {
    long v0 = k0 ^ 0x736f6d6570736575L;
    long v1 = k1 ^ 0x646f72616e646f6dL;
    long v2 = k0 ^ 0x6c7967656e657261L;
    long v3 = k1 ^ 0x7465646279746573L;
    int whole = length & ~7;
    long last = ((long) length) << 56;
    for (int i = whole, shift = 0; i < length; i++, shift += 8) {
      last |= (bytes[i] & 0xffL) << shift;
    }
    // One SipRound per 8-byte block (the "1" of SipHash-1-3), one for the last block with the
    // length, then three finalization rounds after v2 is marked.
    int rounds = whole / 8 + 4;
    for (int r = 0; r < rounds; r++) {
      int at = 8 * r;
      long m = at < whole ? (long) LONGS.get(bytes, at) : last;
      boolean compressing = at <= whole;
      if (compressing) {
        v3 ^= m;
      } else if (at == whole + 8) {
        v2 ^= 0xff;
      }
      v0 += v1;
      v1 = Long.rotateLeft(v1, 13) ^ v0;
      v0 = Long.rotateLeft(v0, 32);
      v2 += v3;
      v3 = Long.rotateLeft(v3, 16) ^ v2;
      v0 += v3;
      v3 = Long.rotateLeft(v3, 21) ^ v0;
      v2 += v1;
      v1 = Long.rotateLeft(v1, 17) ^ v2;
      v2 = Long.rotateLeft(v2, 32);
      if (compressing) {
        v0 ^= m;
      }
    }
    return v0 ^ v1 ^ v2 ^ v3;
  }

  /**
   * The hash of a text's UTF-16 code units, for a fingerprint a caller computed itself (a rarer
   * path than the engine's own: it copies the text once).
   *
   * @param text what to hash
   * @return the hash
   */
  public static long of(String text) {
    byte[] utf16 = text.getBytes(StandardCharsets.UTF_16LE);
    return of(utf16, utf16.length);
  }
}
