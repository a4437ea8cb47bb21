package dev.idempotent.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.exc.InvalidDefinitionException;
import dev.idempotent.IdempotencyDefinitionException;
import dev.idempotent.IdempotencyKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The SHA-256 of the canonical JSON of a method's arguments (those not marked {@code
 * ExcludeFromFingerprint}), in hex: equal for equal arguments in every JVM and after restarts.
 * Immutable and thread-safe.
 */
public final class ArgumentFingerprint {
  private static final MessageDigest SHA_256_PROTOTYPE = sha256();

  private final String where;
  private final int[] included;
  private final String[] names;
  private final ObjectWriter writer;

  /**
   * @param where the method, for messages
   * @param included the positions of the arguments to include
   * @param names every parameter's name (or {@code p<n>}), for messages
   * @param writer a writer of the canonical mapper
   */
  public ArgumentFingerprint(String where, int[] included, String[] names, ObjectWriter writer) {
    this.where = where;
    this.included = included.clone();
    this.names = names.clone();
    this.writer = writer;
  }

  /**
   * The fingerprint of {@code args}.
   *
   * @throws IdempotencyDefinitionException when an argument cannot be written as JSON (naming the
   *     parameter and how to leave it out)
   */
  public String of(Object[] args) {
    Object[] selected = new Object[included.length];
    for (int i = 0; i < included.length; i++) {
      selected[i] = args[included[i]];
    }
    byte[] json;
    try {
      json = writer.writeValueAsBytes(selected);
    } catch (JsonProcessingException e) {
      throw failure(args, e);
    }
    return sha256Hex(json);
  }

  /** The fingerprint of one value, for the programmatic API's payloads. */
  public static String ofValue(ObjectWriter writer, String where, Object payload) {
    try {
      return sha256Hex(writer.writeValueAsBytes(payload));
    } catch (JsonProcessingException e) {
      throw new IdempotencyDefinitionException(
          where
              + ": the payload of type "
              + payload.getClass().getName()
              + " cannot be written as JSON for its fingerprint ("
              + e.getOriginalMessage()
              + "); pass a payload with JSON properties (a record, a bean, a map) or none.",
          e);
    }
  }

  /** SHA-256 of the bytes, as 64 lowercase hex digits. */
  public static String sha256Hex(byte[] bytes) {
    return HexFormat.of().formatHex(digest().digest(bytes));
  }

  /** A fresh SHA-256 digest, cloned from a prototype to skip the provider lookup. */
  public static MessageDigest digest() {
    try {
      return (MessageDigest) SHA_256_PROTOTYPE.clone();
    } catch (CloneNotSupportedException e) {
      return sha256();
    }
  }

  private RuntimeException failure(Object[] args, JsonProcessingException cause) {
    for (int position : included) {
      Object arg = args[position];
      try {
        writer.writeValueAsBytes(arg);
      } catch (JsonProcessingException e) {
        String type = arg == null ? "null" : arg.getClass().getName();
        if (e instanceof InvalidDefinitionException) {
          return new IdempotencyDefinitionException(
              parameter(position)
                  + " of type "
                  + type
                  + " cannot be written as JSON for the argument fingerprint ("
                  + e.getOriginalMessage()
                  + "). Mark the parameter @ExcludeFromFingerprint, or set validatePayload ="
                  + " false and give a keyExpr.",
              e);
        }
        return new IdempotencyKeyException(
            parameter(position)
                + " failed while being written as JSON for the argument fingerprint: "
                + e.getOriginalMessage()
                + "; the body did not run.",
            e);
      }
    }
    return new IdempotencyKeyException(
        "@Idempotent on "
            + where
            + ": the arguments could not be written as JSON for their fingerprint: "
            + cause.getOriginalMessage()
            + "; the body did not run.",
        cause);
  }

  private String parameter(int position) {
    return "@Idempotent on " + where + ": parameter '" + names[position] + "' (#p" + position + ")";
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  }
}
