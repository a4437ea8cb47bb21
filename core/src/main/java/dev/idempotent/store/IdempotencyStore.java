package dev.idempotent.store;

import java.time.Duration;

/**
 * Where idempotency records live: the service provider interface that the Caffeine, Redis and JDBC
 * stores implement, small enough to write another in an afternoon.
 *
 * <p>A record is in progress (it holds a lease and a fencing token) or completed (it holds an
 * outcome until its ttl runs out). Each method is one atomic step on one key; ordinary answers
 * ("already there", "not yours any more") are return values, never exceptions. A store throws only
 * when it fails (unreachable, timed out, corrupt record); the engine turns that into an {@code
 * IdempotencyStoreException}.
 *
 * <p>Expiry is the store's own: an in-progress record disappears (or counts as absent) when its
 * lease runs out, a completed one when its ttl runs out. Implementations must be thread-safe. Every
 * built-in store passes the conformance suite {@code dev.idempotent.test.IdempotencyStoreContract}
 * in idempotent-test; a new store should extend it too.
 */
public interface IdempotencyStore {

  /**
   * Atomically claims the key, or reports what holds it.
   *
   * <ul>
   *   <li>No live record (none, or an in-progress one whose lease expired): write an in-progress
   *       record with a new, unique token, the fingerprint and an expiry of {@code lease}, and
   *       answer {@link Acquisition#acquired}.
   *   <li>A completed record: answer {@link Acquisition#completed} with its fingerprint and
   *       outcome.
   *   <li>An in-progress record with an unexpired lease: answer {@link Acquisition#inProgress} with
   *       its fingerprint.
   * </ul>
   *
   * @param key the record's key
   * @param fingerprint the arguments' fingerprint to keep with the record, or null
   * @param lease how long the new record holds the key unless renewed or completed
   * @return the answer; never null
   * @throws RuntimeException when the store fails
   */
  Acquisition acquire(IdempotencyKey key, String fingerprint, Duration lease);

  /**
   * Turns the in-progress record holding {@code token} into a completed one with the outcome, kept
   * for {@code ttl}: a compare-and-set on the token.
   *
   * @return true if written; false if the record is gone or holds another token (the lease was
   *     taken over), in which case nothing is written
   * @throws RuntimeException when the store fails
   */
  boolean complete(IdempotencyKey key, String token, Outcome outcome, Duration ttl);

  /**
   * Deletes the in-progress record holding {@code token}, so the next call with the key runs.
   *
   * @return true if deleted; false if the record is gone or holds another token
   * @throws RuntimeException when the store fails
   */
  boolean release(IdempotencyKey key, String token);

  /**
   * Extends the lease of the in-progress record holding {@code token} to {@code lease} from now.
   *
   * @return true if extended; false if the record is gone or holds another token
   * @throws RuntimeException when the store fails
   */
  boolean renew(IdempotencyKey key, String token, Duration lease);

  /**
   * Whether this store keeps outcomes as the objects themselves ({@link Outcome#returned}, {@link
   * Outcome#thrown}) instead of {@linkplain Outcome#encoded encoded} bytes. Only a store inside the
   * JVM can; the default is false.
   */
  default boolean keepsObjects() {
    return false;
  }
}
