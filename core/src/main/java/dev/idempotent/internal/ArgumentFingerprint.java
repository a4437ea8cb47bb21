package dev.idempotent.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.exc.InvalidDefinitionException;
import dev.idempotent.IdempotencyDefinitionException;
import dev.idempotent.IdempotencyKeyException;
import dev.idempotent.internal.json.JsonBytes;
import dev.idempotent.internal.json.PlainValue;
import java.nio.charset.StandardCharsets;

/**
 * The SHA-256 of the canonical JSON of a method's arguments (those not marked {@code
 * ExcludeFromFingerprint}), in hex: equal for equal arguments in every JVM and after restarts.
 * Immutable and thread-safe.
 *
 * <p>When every fingerprinted parameter is a plain value (a String, a number, a boolean, a UUID, an
 * enum, or a record made only of these, with no Jackson annotations), the JSON is written directly,
 * byte for byte as the canonical Jackson writer writes it (property order and names from Jackson's
 * own introspection, Jackson's escapes and number forms), without a generator or serializers. Any
 * other parameter, and any value the direct writer cannot write exactly (a string with a lone
 * surrogate, an accessor that throws), goes through the canonical writer as before.
 *
 * <p>A fingerprint made for a store that keeps objects in this JVM (see {@code
 * IdempotencyStore.keepsObjects}) is compared only within this JVM, so when the JSON is short it is
 * the JSON itself rather than its hash: equal exactly when the JSON is equal, like the hash, but
 * without hashing on every duplicate. JSON starts with {@code [} and a hash never does, so the two
 * forms never match each other.
 */
public final class ArgumentFingerprint {
  /** The longest JSON kept as it is by a fingerprint for a store that keeps objects. */
  static final int RAW_LIMIT = 128;

  private final String where;
  private final int[] included;
  private final String[] names;
  private final ObjectWriter writer;
  private final boolean raw;
  // One writer per included parameter when all are plain values, otherwise null.
  private final PlainValue[] plain;

  /**
   * A fingerprint that is always the hash, for any store; parameters go through the writer.
   *
   * @param where the method, for messages
   * @param included the positions of the arguments to include
   * @param names every parameter's name (or {@code p<n>}), for messages
   * @param writer a writer of the canonical mapper
   */
  public ArgumentFingerprint(String where, int[] included, String[] names, ObjectWriter writer) {
    this(where, included, names, null, writer, false);
  }

  /**
   * @param where the method, for messages
   * @param included the positions of the arguments to include
   * @param names every parameter's name (or {@code p<n>}), for messages
   * @param types every parameter's declared type, to write plain values directly; or null
   * @param writer a writer of the canonical mapper
   * @param raw whether a short JSON is the fingerprint itself (only for a store that keeps objects,
   *     whose fingerprints never leave this JVM)
   */
  public ArgumentFingerprint(
      String where,
      int[] included,
      String[] names,
      Class<?>[] types,
      ObjectWriter writer,
      boolean raw) {
    this.where = where;
    this.included = included.clone();
    this.names = names.clone();
    this.writer = writer;
    this.raw = raw;
    this.plain = types == null ? null : PlainValue.forParameters(writer, types, this.included);
  }

  /**
   * The fingerprint of {@code args}.
   *
   * @throws IdempotencyDefinitionException when an argument cannot be written as JSON (naming the
   *     parameter and how to leave it out)
   */
  public String of(Object[] args) {
    if (plain != null) {
      JsonBytes out = JsonBytes.borrow();
      try {
        if (writePlain(out, args)) {
          return raw && out.length() <= RAW_LIMIT ? out.latin1() : out.sha256Hex();
        }
      } finally {
        out.giveBack();
      }
    }
    return fingerprint(writeThroughJackson(args), raw);
  }

  /**
   * The fingerprint of {@code args} for a store that keeps its records in this JVM: a keyed 64-bit
   * hash of the same canonical JSON ({@link LocalHash}), written into this thread's buffer, so the
   * call allocates nothing when the arguments are plain values.
   *
   * @throws IdempotencyDefinitionException as {@link #of} does
   */
  public long local(Object[] args) {
    if (plain != null) {
      JsonBytes out = JsonBytes.borrow();
      try {
        if (writePlain(out, args)) {
          return out.localHash();
        }
      } finally {
        out.giveBack();
      }
    }
    byte[] json = writeThroughJackson(args);
    return LocalHash.of(json, json.length);
  }

  private static String fingerprint(byte[] json, boolean raw) {
    if (raw && json.length <= RAW_LIMIT) {
      return new String(json, StandardCharsets.ISO_8859_1);
    }
    return Sha256.hex(json);
  }

  /** The canonical JSON of the included arguments. */
  byte[] json(Object[] args) {
    if (plain != null) {
      JsonBytes out = JsonBytes.borrow();
      try {
        if (writePlain(out, args)) {
          return out.toByteArray();
        }
      } finally {
        out.giveBack();
      }
    }
    return writeThroughJackson(args);
  }

  /** Whether the arguments are written without Jackson's serializers. */
  boolean writesPlainValues() {
    return plain != null;
  }

  /** Writes the JSON directly; false when the direct writer cannot write these values. */
  private boolean writePlain(JsonBytes out, Object[] args) {
    try {
      out.append('[');
      for (int i = 0; i < included.length; i++) {
        if (i > 0) {
          out.append(',');
        }
        plain[i].write(out, args[included[i]]);
      }
      out.append(']');
    } catch (Error e) {
      throw e;
    } catch (Throwable e) {
      // A record accessor that throws, or a lone surrogate: Jackson handles it as it always did.
      return false;
    }
    return true;
  }

  private byte[] writeThroughJackson(Object[] args) {
    Object[] selected = new Object[included.length];
    for (int i = 0; i < included.length; i++) {
      selected[i] = args[included[i]];
    }
    try {
      return writer.writeValueAsBytes(selected);
    } catch (JsonProcessingException e) {
      throw failure(args, e);
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
}
