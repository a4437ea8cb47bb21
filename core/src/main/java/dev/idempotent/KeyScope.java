package dev.idempotent;

/**
 * Supplies the scope of the current call, such as the tenant or the authenticated principal, which
 * the engine mixes into every key so that one tenant can never receive another tenant's stored
 * outcome, even when both send the same idempotency key.
 *
 * <p>Called once per protected call on the calling thread (read a thread-local or a request
 * context). Must be thread-safe and fast.
 */
@FunctionalInterface
public interface KeyScope {

  /**
   * The scope of the current call.
   *
   * @return the scope; null or empty when the call has none, which the engine refuses with {@link
   *     IdempotencyKeyException} (a configured scope that is missing is a bug, not an empty
   *     tenant), as it refuses a scope that is not well-formed Unicode (an unpaired surrogate,
   *     which UTF-8 would turn into {@code '?'} and so into another tenant's scope)
   */
  String current();
}
