package dev.idempotent.internal.json;

import dev.idempotent.internal.LocalHash;
import dev.idempotent.internal.Sha256;
import java.lang.ref.WeakReference;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growing buffer of JSON text in UTF-8, written as Jackson's UTF-8 generator writes it with the
 * canonical mapper's settings: strings escape the quote and the backslash, the control characters
 * backspace, tab, newline, form feed and carriage return by letter, the other control characters
 * and both halves of a surrogate pair as Unicode escapes with upper-case hex digits, and leave
 * every other character as UTF-8. Each thread reuses one buffer (see {@link #borrow()}), so a
 * fingerprint allocates only its result. Not thread-safe.
 */
public final class JsonBytes {
  /**
   * The ASCII characters that a JSON string holds as they are: printable, not quote or backslash.
   */
  private static final boolean[] VERBATIM = new boolean[0x80];

  static {
    for (char c = 0x20; c < 0x80; c++) {
      VERBATIM[c] = c != '"' && c != '\\';
    }
  }

  /** 1 for the ASCII characters a JSON string escapes (controls, quote, backslash), else 0. */
  private static final byte[] NEEDS_ESCAPE = new byte[0x80];

  static {
    for (char c = 0; c < 0x80; c++) {
      NEEDS_ESCAPE[c] = (byte) (VERBATIM[c] ? 0 : 1);
    }
  }

  private static final int INITIAL_SIZE = 128;

  /** Up to this many bytes, {@link #bytes} copies in a loop. */
  private static final int SHORT_COPY = 32;

  /** A buffer that grew beyond this is dropped when given back, not kept by its thread. */
  private static final int KEPT_LIMIT = 4096;

  /**
   * Each thread's buffer, through a weak reference (a JDK type), so that a thread outliving the
   * application keeps nothing of this class loader reachable; a collection may drop it.
   */
  private static final ThreadLocal<WeakReference<JsonBytes>> BUFFERS = new ThreadLocal<>();

  private static final byte[] UPPER_HEX = "0123456789ABCDEF".getBytes(StandardCharsets.ISO_8859_1);

  /** Thrown for a string with a lone surrogate, which Jackson refuses with its own message. */
  private static final RuntimeException UNWRITABLE =
      new RuntimeException("lone surrogate", null, false, false) {};

  private byte[] bytes = new byte[INITIAL_SIZE];
  private int length;
  private boolean borrowed;

  /**
   * This thread's empty buffer, or a new one while this thread's is in use (a record accessor that
   * itself computes a fingerprint). Give it back when done.
   */
  public static JsonBytes borrow() {
    WeakReference<JsonBytes> held = BUFFERS.get();
    JsonBytes buffer = held == null ? null : held.get();
    if (buffer == null) {
      buffer = new JsonBytes();
      BUFFERS.set(new WeakReference<>(buffer));
    } else if (buffer.borrowed) {
      buffer = new JsonBytes();
    }
    buffer.borrowed = true;
    buffer.length = 0;
    return buffer;
  }

  /** Ends a {@link #borrow()}: the buffer may be handed out again. */
  public void giveBack() {
    borrowed = false;
    if (bytes.length > KEPT_LIMIT) {
      bytes = new byte[INITIAL_SIZE];
    }
  }

  /** Appends one ASCII character. */
  public void append(char ascii) {
    ensure(1);
    bytes[length++] = (byte) ascii;
  }

  /** Appends bytes that are already JSON. */
  public void bytes(byte[] json) {
    int n = json.length;
    ensure(n);
    byte[] out = bytes;
    int at = length;
    if (n <= SHORT_COPY) {
      // A property name with its separators: a loop beats the call into the copy stub.
      for (int i = 0; i < n; i++) {
        out[at + i] = json[i];
      }
    } else {
      System.arraycopy(json, 0, out, at, n);
    }
    length = at + n;
  }

  /** Appends text known to be ASCII with nothing to escape, such as a number. */
  public void ascii(String text) {
    int n = text.length();
    ensure(n);
    for (int i = 0; i < n; i++) {
      bytes[length++] = (byte) text.charAt(i);
    }
  }

  /** Appends an integer in decimal, as {@code Long.toString} writes it. */
  public void integer(long value) {
    if (value == Long.MIN_VALUE) {
      ascii(Long.toString(value));
      return;
    }
    ensure(20);
    long rest = value;
    if (rest < 0) {
      bytes[length++] = '-';
      rest = -rest;
    }
    int first = length;
    do {
      bytes[length++] = (byte) ('0' + (int) (rest % 10));
      rest /= 10;
    } while (rest != 0);
    for (int i = first, j = length - 1; i < j; i++, j--) {
      byte digit = bytes[i];
      bytes[i] = bytes[j];
      bytes[j] = digit;
    }
  }

  /** Appends a JSON string: quoted, escaped and encoded as UTF-8. */
  public void string(String text) {
    int n = text.length();
    // Room for one byte per character and both quotes; a character that takes more reserves the
    // difference, so the common printable ASCII character is written without a check.
    ensure(n + 2);
    byte[] out = bytes;
    int at = length;
    out[at++] = '"';
    // The common case, printable ASCII with nothing to escape, in one loop without branches: each
    // character is copied as a byte and marks whether it needed more. Any mark writes the string
    // again, character by character.
    int marks = 0;
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      out[at + i] = (byte) c;
      marks |= (c >>> 7) | NEEDS_ESCAPE[c & 0x7f];
    }
    if (marks == 0) {
      out[at + n] = '"';
      length = at + n + 1;
      return;
    }
    length = at;
    rest(text, 0);
    bytes[length++] = '"';
  }

  /** Writes the characters of {@code text} from {@code from} on, escaping and encoding each. */
  private void rest(String text, int from) {
    int n = text.length();
    for (int i = from; i < n; i++) {
      char c = text.charAt(i);
      if (c < 0x80 && VERBATIM[c]) {
        bytes[length++] = (byte) c;
      } else if (c < 0x80) {
        ensure(6 + n - i);
        escape(c);
      } else if (c < 0x800) {
        ensure(2 + n - i);
        bytes[length++] = (byte) (0xc0 | (c >> 6));
        bytes[length++] = (byte) (0x80 | (c & 0x3f));
      } else if (!Character.isSurrogate(c)) {
        ensure(3 + n - i);
        bytes[length++] = (byte) (0xe0 | (c >> 12));
        bytes[length++] = (byte) (0x80 | ((c >> 6) & 0x3f));
        bytes[length++] = (byte) (0x80 | (c & 0x3f));
      } else {
        if (!Character.isHighSurrogate(c)
            || i + 1 >= n
            || !Character.isLowSurrogate(text.charAt(i + 1))) {
          throw UNWRITABLE;
        }
        ensure(12 + n - i);
        unicodeEscape(c);
        unicodeEscape(text.charAt(++i));
      }
    }
  }

  /** Writes up to six bytes; the caller has made room for them. */
  private void escape(char c) {
    char letter;
    switch (c) {
      case '"' -> letter = '"';
      case '\\' -> letter = '\\';
      case '\b' -> letter = 'b';
      case '\t' -> letter = 't';
      case '\n' -> letter = 'n';
      case '\f' -> letter = 'f';
      case '\r' -> letter = 'r';
      default -> letter = 0;
    }
    if (letter != 0) {
      bytes[length++] = '\\';
      bytes[length++] = (byte) letter;
      return;
    }
    unicodeEscape(c);
  }

  /** Writes six bytes; the caller has made room for them. */
  private void unicodeEscape(char c) {
    bytes[length++] = '\\';
    bytes[length++] = 'u';
    bytes[length++] = UPPER_HEX[c >> 12];
    bytes[length++] = UPPER_HEX[(c >> 8) & 0xf];
    bytes[length++] = UPPER_HEX[(c >> 4) & 0xf];
    bytes[length++] = UPPER_HEX[c & 0xf];
  }

  private void ensure(int more) {
    if (length + more > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
    }
  }

  /** How many bytes were written. */
  public int length() {
    return length;
  }

  /** A copy of the bytes written. */
  public byte[] toByteArray() {
    return Arrays.copyOf(bytes, length);
  }

  /** The bytes as the characters of the same codes: equal exactly when the bytes are. */
  public String latin1() {
    return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
  }

  /** The keyed 64-bit hash of the bytes written, for a fingerprint compared in this JVM only. */
  public long localHash() {
    return LocalHash.of(bytes, length);
  }

  /** The SHA-256 of the bytes written, as 64 lowercase hex digits. */
  public String sha256Hex() {
    return Sha256.hex(bytes, length);
  }
}
