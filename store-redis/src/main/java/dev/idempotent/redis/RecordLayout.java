package dev.idempotent.redis;

import dev.idempotent.IdempotencyStoreException;
import dev.idempotent.store.Acquisition;
import dev.idempotent.store.IdempotencyKey;
import dev.idempotent.store.Outcome;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Where a record lives and what it holds. The Redis key is the prefix followed by {@link
 * IdempotencyKey#asString()} ({@code "<namespace length>:<namespace>:<value>"}), in UTF-8. The
 * value is a hash with one-letter fields:
 *
 * <ul>
 *   <li>{@code s}: the state, {@code p} (in progress) or {@code c} (completed); always present;
 *   <li>{@code t}: the fencing token; present while in progress;
 *   <li>{@code f}: the fingerprint; absent when the call gave none;
 *   <li>{@code o}: the outcome bytes the engine's codec wrote; present once completed.
 * </ul>
 *
 * Immutable and thread-safe.
 */
final class RecordLayout {
  private static final byte[] STATE = {'s'};
  private static final byte[] FINGERPRINT = {'f'};
  private static final byte[] OUTCOME = {'o'};
  private static final byte[] IN_PROGRESS = {'p'};
  private static final byte[] COMPLETED = {'c'};

  private final String prefix;

  RecordLayout(String prefix) {
    this.prefix = prefix;
  }

  /** The prefix every record key starts with. */
  String prefix() {
    return prefix;
  }

  /** The Redis key of a record. */
  byte[] redisKey(IdempotencyKey key) {
    return (prefix + key.asString()).getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Reads what the acquire script answered: an empty list when the caller acquired the key, else
   * the existing record's fields and values, alternating.
   *
   * @throws IdempotencyStoreException when the record lacks a field its state needs or has an
   *     unknown state, naming the key's namespace
   */
  Acquisition read(IdempotencyKey key, String token, List<byte[]> answer) {
    if (answer.isEmpty()) {
      return Acquisition.acquired(token);
    }
    byte[] state = null;
    byte[] fingerprint = null;
    byte[] outcome = null;
    for (int i = 0; i + 1 < answer.size(); i += 2) {
      byte[] field = answer.get(i);
      byte[] value = answer.get(i + 1);
      if (Arrays.equals(field, STATE)) {
        state = value;
      } else if (Arrays.equals(field, FINGERPRINT)) {
        fingerprint = value;
      } else if (Arrays.equals(field, OUTCOME)) {
        outcome = value;
      }
    }
    String storedFingerprint =
        fingerprint == null ? null : new String(fingerprint, StandardCharsets.UTF_8);
    if (Arrays.equals(state, COMPLETED)) {
      if (outcome == null) {
        throw broken(key, "it is completed (field s = c) but has no outcome (field o)");
      }
      return Acquisition.completed(storedFingerprint, Outcome.encoded(outcome));
    }
    if (Arrays.equals(state, IN_PROGRESS)) {
      return Acquisition.inProgress(storedFingerprint);
    }
    if (state == null) {
      throw broken(key, "it has no state (field s)");
    }
    throw broken(
        key,
        "its state (field s) is '"
            + new String(state, StandardCharsets.UTF_8)
            + "', neither 'p' (in progress) nor 'c' (completed)");
  }

  /**
   * The exception for a Redis value at a record's key that is not a record of this store, such as a
   * string or a list written by another application under the same prefix.
   */
  IdempotencyStoreException notAHash(IdempotencyKey key, String operation, Throwable cause) {
    return new IdempotencyStoreException(
        "Redis store: cannot "
            + operation
            + " a key of namespace '"
            + key.namespace()
            + "': the Redis key holds a value that is not a hash, so it is not an idempotency"
            + " record of this store. Another application may write keys under the prefix '"
            + prefix
            + "'; give this store a prefix of its own (RedisIdempotencyStore.Builder.keyPrefix)"
            + " or delete the key. ("
            + cause.getMessage()
            + ")",
        cause);
  }

  private IdempotencyStoreException broken(IdempotencyKey key, String problem) {
    return new IdempotencyStoreException(
        "Redis store: the record of a key of namespace '"
            + key.namespace()
            + "' is not a valid idempotency record: "
            + problem
            + ". It was not written by this version of the store, or another application writes"
            + " under the prefix '"
            + prefix
            + "'; delete the key (or let it expire) to let the next call run.");
  }
}
