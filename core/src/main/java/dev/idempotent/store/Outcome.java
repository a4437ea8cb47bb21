package dev.idempotent.store;

import java.util.Arrays;
import java.util.Objects;

/**
 * What a completed call left behind, in one of two forms. A store that keeps objects ({@link
 * IdempotencyStore#keepsObjects()}) receives and returns the {@linkplain #returned(Object) returned
 * value} or the {@linkplain #thrown(Throwable) recorded exception} itself. Every other store
 * receives the {@linkplain #encoded(byte[]) encoded} form, opaque bytes that the engine's codec
 * wrote, and must return them unchanged. Immutable and thread-safe (an encoded outcome never hands
 * out its internal array).
 */
public final class Outcome {
  private static final Outcome NULL_VALUE = new Outcome(Form.RETURNED, null, null);

  /** The form an outcome is in. */
  public enum Form {
    /** The body returned a value (possibly null). */
    RETURNED,
    /** The body threw an exception that its policy records. */
    THREW,
    /** Bytes written by the engine's codec. */
    ENCODED
  }

  private final Form form;
  private final Object payload;
  private final byte[] bytes;

  private Outcome(Form form, Object payload, byte[] bytes) {
    this.form = form;
    this.payload = payload;
    this.bytes = bytes;
  }

  /** A returned value, kept as the object itself; {@code null} for void and null results. */
  public static Outcome returned(Object value) {
    return value == null ? NULL_VALUE : new Outcome(Form.RETURNED, value, null);
  }

  /** A recorded exception, kept as the object itself. */
  public static Outcome thrown(Throwable exception) {
    return new Outcome(Form.THREW, Objects.requireNonNull(exception, "exception"), null);
  }

  /** The encoded form; the array is copied. */
  public static Outcome encoded(byte[] bytes) {
    return new Outcome(Form.ENCODED, null, bytes.clone());
  }

  /** Which form this outcome is in. */
  public Form form() {
    return form;
  }

  /**
   * The returned value.
   *
   * @throws IllegalStateException if the form is not {@link Form#RETURNED}
   */
  public Object value() {
    require(Form.RETURNED);
    return payload;
  }

  /**
   * The recorded exception.
   *
   * @throws IllegalStateException if the form is not {@link Form#THREW}
   */
  public Throwable exception() {
    require(Form.THREW);
    return (Throwable) payload;
  }

  /**
   * A copy of the encoded bytes.
   *
   * @throws IllegalStateException if the form is not {@link Form#ENCODED}
   */
  public byte[] bytes() {
    require(Form.ENCODED);
    return bytes.clone();
  }

  private void require(Form expected) {
    if (form != expected) {
      throw new IllegalStateException("outcome is " + form + ", not " + expected);
    }
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof Outcome)) {
      return false;
    }
    Outcome other = (Outcome) o;
    return form == other.form
        && Objects.equals(payload, other.payload)
        && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return 31 * Objects.hash(form, payload) + Arrays.hashCode(bytes);
  }

  /** The form and size only: outcomes may carry personal data and do not belong in logs. */
  @Override
  public String toString() {
    return form == Form.ENCODED
        ? "Outcome[ENCODED, " + bytes.length + " bytes]"
        : "Outcome[" + form + "]";
  }
}
