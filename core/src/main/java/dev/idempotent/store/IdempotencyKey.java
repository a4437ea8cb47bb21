package dev.idempotent.store;

import dev.idempotent.rules.WellFormedText;
import java.util.Objects;

/**
 * The key of one idempotency record: the namespace that keeps one method's (or operation's) keys
 * apart from every other's, and the value computed for one call (the evaluated key expression, with
 * the application's scope mixed in and, when configured, hashed).
 *
 * <p>Stores may lay the two parts out as they like, as long as two keys are the same record exactly
 * when both parts are equal; {@link #asString()} is one unambiguous layout. Both parts are
 * well-formed UTF-16 (a surrogate only as half of a pair), so encoding them as UTF-8 loses nothing:
 * two different keys never become the same bytes. Immutable and thread-safe.
 */
public final class IdempotencyKey {
  private final String namespace;
  private final String value;
  private final int hash;

  private IdempotencyKey(String namespace, String value) {
    this.namespace = namespace;
    this.value = value;
    this.hash = 31 * namespace.hashCode() + value.hashCode();
  }

  /**
   * Creates a key.
   *
   * @param namespace the namespace; not empty, well-formed UTF-16
   * @param value the per-call value; not null, well-formed UTF-16
   * @throws IllegalArgumentException if the namespace is empty, or either part has an unpaired
   *     surrogate (the engine refuses such keys before it makes one, with {@code
   *     IdempotencyKeyException})
   */
  public static IdempotencyKey of(String namespace, String value) {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(value, "value");
    if (namespace.isEmpty()) {
      throw new IllegalArgumentException("namespace must not be empty");
    }
    requireWellFormed("namespace", namespace);
    requireWellFormed("value", value);
    return new IdempotencyKey(namespace, value);
  }

  private static void requireWellFormed(String part, String text) {
    int at = WellFormedText.unpairedSurrogate(text);
    if (at >= 0) {
      throw new IllegalArgumentException(
          "IdempotencyKey.of: the "
              + part
              + " has "
              + WellFormedText.describe(text, at)
              + "; UTF-8 would turn it into '?' and make it the same record as other text.");
    }
  }

  /** The namespace: by default the declaring class and signature of the method. */
  public String namespace() {
    return namespace;
  }

  /** The per-call part of the key. */
  public String value() {
    return value;
  }

  /**
   * One string that identifies the record: the namespace's length, the namespace and the value, as
   * {@code "<length>:<namespace>:<value>"}, so that no two different keys share a string even when
   * a namespace or a value contains the separator.
   */
  public String asString() {
    return namespace.length() + ":" + namespace + ":" + value;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof IdempotencyKey)) {
      return false;
    }
    IdempotencyKey other = (IdempotencyKey) o;
    return hash == other.hash && namespace.equals(other.namespace) && value.equals(other.value);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  /** The namespace only: key values may carry user data and do not belong in logs. */
  @Override
  public String toString() {
    return "IdempotencyKey[namespace=" + namespace + "]";
  }
}
