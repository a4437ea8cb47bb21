package dev.idempotent.store;

import java.util.Arrays;
import java.util.Objects;

/**
 * What a completed call left behind, one of three records. A store that keeps objects ({@link
 * IdempotencyStore#keepsObjects()}) receives and returns the {@link Returned} value or the {@link
 * Threw} recorded exception itself. Every other store receives the {@link Encoded} form, opaque
 * bytes that the engine's codec wrote, and must return them unchanged. Built with {@link
 * #returned}, {@link #thrown} and {@link #encoded}. Immutable and thread-safe (an encoded outcome
 * never hands out its internal array).
 *
 * <p>The accessors {@link #value()}, {@link #exception()} and {@link #bytes()} on this interface
 * throw {@link IllegalStateException} for an outcome of another form, as the class this was before
 * 0.2 did; testing the record type ({@code instanceof Outcome.Encoded encoded}) is the typed way.
 */
public sealed interface Outcome permits Outcome.Returned, Outcome.Threw, Outcome.Encoded {

  /** The form an outcome is in. */
  enum Form {
    /** The body returned a value (possibly null). */
    RETURNED,
    /** The body threw an exception that its policy records. */
    THREW,
    /** Bytes written by the engine's codec. */
    ENCODED
  }

  /**
   * A returned value, kept as the object itself.
   *
   * @param value the value; {@code null} for void and null results
   * @return the outcome
   */
  static Outcome returned(Object value) {
    return value == null ? Returned.NULL : new Returned(value);
  }

  /**
   * A recorded exception, kept as the object itself.
   *
   * @param exception the exception
   * @return the outcome
   * @throws NullPointerException when {@code exception} is null
   */
  static Outcome thrown(Throwable exception) {
    return new Threw(exception);
  }

  /**
   * The encoded form; the array is copied.
   *
   * @param bytes what the codec wrote
   * @return the outcome
   * @throws NullPointerException when {@code bytes} is null
   */
  static Outcome encoded(byte[] bytes) {
    return new Encoded(bytes);
  }

  /**
   * Which form this outcome is in.
   *
   * @return the form
   */
  Form form();

  /**
   * The returned value.
   *
   * @return the value, possibly null
   * @throws IllegalStateException if the form is not {@link Form#RETURNED}
   */
  default Object value() {
    throw wrongForm(form(), Form.RETURNED);
  }

  /**
   * The recorded exception.
   *
   * @return the exception
   * @throws IllegalStateException if the form is not {@link Form#THREW}
   */
  default Throwable exception() {
    throw wrongForm(form(), Form.THREW);
  }

  /**
   * A copy of the encoded bytes.
   *
   * @return the bytes
   * @throws IllegalStateException if the form is not {@link Form#ENCODED}
   */
  default byte[] bytes() {
    throw wrongForm(form(), Form.ENCODED);
  }

  private static IllegalStateException wrongForm(Form form, Form expected) {
    return new IllegalStateException("outcome is " + form + ", not " + expected);
  }

  /**
   * The body returned a value.
   *
   * @param value the value, possibly null
   */
  record Returned(Object value) implements Outcome {
    private static final Returned NULL = new Returned(null);

    @Override
    public Form form() {
      return Form.RETURNED;
    }

    @Override
    public String toString() {
      return "Outcome[RETURNED]";
    }
  }

  /**
   * The body threw an exception its policy records.
   *
   * @param exception the exception; not null
   */
  record Threw(Throwable exception) implements Outcome {
    /**
     * @throws NullPointerException when {@code exception} is null
     */
    public Threw {
      Objects.requireNonNull(exception, "exception");
    }

    @Override
    public Form form() {
      return Form.THREW;
    }

    @Override
    public String toString() {
      return "Outcome[THREW]";
    }
  }

  /**
   * Bytes the engine's codec wrote; equal to another encoded outcome with the same bytes.
   *
   * @param bytes the bytes; copied in and out
   */
  record Encoded(byte[] bytes) implements Outcome {
    /**
     * @throws NullPointerException when {@code bytes} is null
     */
    public Encoded {
      bytes = bytes.clone();
    }

    /**
     * A copy of the bytes.
     *
     * @return the bytes
     */
    @Override
    public byte[] bytes() {
      return bytes.clone();
    }

    @Override
    public Form form() {
      return Form.ENCODED;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Encoded other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
      return "Outcome[ENCODED, " + bytes.length + " bytes]";
    }
  }
}
