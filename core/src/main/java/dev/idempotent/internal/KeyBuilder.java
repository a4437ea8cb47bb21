package dev.idempotent.internal;

import dev.idempotent.IdempotencyKeyException;
import dev.idempotent.KeyScope;
import dev.idempotent.rules.WellFormedText;
import dev.idempotent.store.IdempotencyKey;

/**
 * Step 1 of the protocol: the store key of a call from its key value. Prefixes the engine's scope
 * (length-delimited, so no two scope and key pairs meet), refuses text UTF-8 cannot hold, and
 * replaces the value by its SHA-256 when the engine hashes keys. Immutable and thread-safe.
 */
final class KeyBuilder {
  private final KeyScope scope;
  private final boolean hashKeys;

  /**
   * @param scope the scope supplier, or null
   * @param hashKeys whether key values are replaced by their SHA-256
   */
  KeyBuilder(KeyScope scope, boolean hashKeys) {
    this.scope = scope;
    this.hashKeys = hashKeys;
  }

  /**
   * The key of one call.
   *
   * @throws IdempotencyKeyException when the scope is missing or the key or scope is not
   *     well-formed Unicode
   */
  IdempotencyKey key(Policy policy, String keyValue) {
    return keyOf(policy, value(policy, keyValue));
  }

  /** The key of a value that {@link #value} made. */
  IdempotencyKey keyOf(Policy policy, String value) {
    return IdempotencyKey.of(policy.namespace, value);
  }

  /**
   * The per-call part of one call's key: the key value, with the scope and hashed as the engine
   * says.
   *
   * @throws IdempotencyKeyException when the scope is missing or the key or scope is not
   *     well-formed Unicode
   */
  String value(Policy policy, String keyValue) {
    String value = keyValue;
    if (scope != null) {
      String current = scope.current();
      if (current == null || current.isEmpty()) {
        throw new IdempotencyKeyException(
            policy.where
                + ": the engine has a KeyScope, but it returned no scope for this call; the body"
                + " did not run. Call it only where the scope (tenant, principal) is known.");
      }
      requireWellFormed(policy, "the KeyScope's scope for this call", current);
      value = current.length() + ":" + current + ":" + keyValue;
    }
    requireWellFormed(policy, "the key", keyValue);
    if (hashKeys) {
      value = Sha256.base64Url(value);
    }
    return value;
  }

  /**
   * Refuses text that UTF-8 cannot hold: an unpaired surrogate would become {@code '?'} in every
   * store's bytes and in the hash, so "a\uD800" and "a?" would share one record.
   */
  private static void requireWellFormed(Policy policy, String what, String text) {
    int at = WellFormedText.unpairedSurrogate(text);
    if (at >= 0) {
      throw new IdempotencyKeyException(
          policy.where
              + ": "
              + what
              + " is not well-formed Unicode: it has "
              + WellFormedText.describe(text, at)
              + ", which no store can keep apart from other text; the body did not run. Send"
              + " keys as well-formed text (a surrogate only as half of a pair).");
    }
  }
}
