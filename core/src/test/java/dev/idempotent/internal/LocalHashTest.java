package dev.idempotent.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LocalHashTest {
  private static final long K0 = 0x0706050403020100L;
  private static final long K1 = 0x0f0e0d0c0b0a0908L;

  /** SipHash with c compression and d finalization rounds, written from the paper's description. */
  private static long reference(int c, int d, long k0, long k1, byte[] m) {
    long[] v = {
      k0 ^ 0x736f6d6570736575L,
      k1 ^ 0x646f72616e646f6dL,
      k0 ^ 0x6c7967656e657261L,
      k1 ^ 0x7465646279746573L
    };
    int blocks = m.length / 8;
    for (int b = 0; b <= blocks; b++) {
      long word = 0;
      if (b < blocks) {
        for (int i = 7; i >= 0; i--) {
          word = (word << 8) | (m[8 * b + i] & 0xffL);
        }
      } else {
        word = ((long) m.length) << 56;
        for (int i = m.length - 1; i >= 8 * blocks; i--) {
          word |= (m[i] & 0xffL) << (8 * (i - 8 * blocks));
        }
      }
      v[3] ^= word;
      for (int r = 0; r < c; r++) {
        round(v);
      }
      v[0] ^= word;
    }
    v[2] ^= 0xff;
    for (int r = 0; r < d; r++) {
      round(v);
    }
    return v[0] ^ v[1] ^ v[2] ^ v[3];
  }

  private static void round(long[] v) {
    v[0] += v[1];
    v[1] = Long.rotateLeft(v[1], 13);
    v[1] ^= v[0];
    v[0] = Long.rotateLeft(v[0], 32);
    v[2] += v[3];
    v[3] = Long.rotateLeft(v[3], 16);
    v[3] ^= v[2];
    v[0] += v[3];
    v[3] = Long.rotateLeft(v[3], 21);
    v[3] ^= v[0];
    v[2] += v[1];
    v[1] = Long.rotateLeft(v[1], 17);
    v[1] ^= v[2];
    v[2] = Long.rotateLeft(v[2], 32);
  }

  private static byte[] counting(int length) {
    byte[] m = new byte[length];
    for (int i = 0; i < length; i++) {
      m[i] = (byte) i;
    }
    return m;
  }

  @Test
  void referenceMatchesThePublishedSipHash24Vector() {
    // The SipHash paper's appendix A: key 00..0f, message 00..0e.
    assertEquals(0xa129ca6149be45e5L, reference(2, 4, K0, K1, counting(15)));
  }

  @Test
  void isSipHash13ForEveryTailLength() {
    for (int length = 0; length <= 80; length++) {
      byte[] m = counting(length);
      assertEquals(reference(1, 3, K0, K1, m), LocalHash.of(K0, K1, m, length), "length " + length);
    }
  }

  @Test
  void hashesOnlyTheGivenPrefixOfABuffer() {
    byte[] buffer = counting(64);
    byte[] prefix = counting(21);
    assertEquals(LocalHash.of(prefix, 21), LocalHash.of(buffer, 21));
  }

  @Test
  void textIsHashedAsItsUtf16Bytes() {
    for (String text :
        new String[] {"", "a", "abc", "abcd", "abcde", "\u0141\u00e9\uD83D\uDE00x"}) {
      byte[] utf16 = text.getBytes(StandardCharsets.UTF_16LE);
      assertEquals(LocalHash.of(utf16, utf16.length), LocalHash.of(text), text);
    }
  }

  @Test
  void nearbyInputsHashApart() {
    Set<Long> seen = new HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      byte[] m = ("[{\"amount\":" + i + "}]").getBytes(StandardCharsets.UTF_8);
      seen.add(LocalHash.of(m, m.length));
    }
    assertEquals(10_000, seen.size());
    assertNotEquals(LocalHash.of("A"), LocalHash.of("\u0141"));
  }
}
