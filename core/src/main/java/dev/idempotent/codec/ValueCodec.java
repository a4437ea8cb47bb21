package dev.idempotent.codec;

import java.io.IOException;

/**
 * Writes and reads the values of one declared type, as prepared by {@link
 * OutcomeCodec#forType(java.lang.reflect.Type)}. Thread-safe.
 *
 * <p>Any exception from either method counts as the codec failing: when {@link #write} fails, the
 * engine returns the body's result to its caller and records that the outcome could not be
 * recorded; when {@link #read} fails, the duplicate fails with {@code IdempotencyStoreException}
 * without running the body. Exception messages end up in logs and in exceptions the caller sees, so
 * they must name types and properties, never the values themselves.
 */
public interface ValueCodec {
  /**
   * Writes one value as JSON.
   *
   * @param value the value, possibly null
   * @return the UTF-8 bytes of exactly one JSON value ({@code null} for a null value)
   * @throws IOException when the value cannot be written
   */
  byte[] write(Object value) throws IOException;

  /**
   * Reads one value back, strictly: the JSON must decode exactly into the declared type, so a
   * record written for another version of the type (a property it does not know, a missing one, a
   * null where a primitive belongs, a number out of range, anything after the value) fails instead
   * of turning into a different value.
   *
   * @param json the UTF-8 bytes of one JSON value, as {@link #write} wrote them
   * @return the value, possibly null
   * @throws IOException when the JSON does not decode exactly into the declared type
   */
  Object read(byte[] json) throws IOException;
}
