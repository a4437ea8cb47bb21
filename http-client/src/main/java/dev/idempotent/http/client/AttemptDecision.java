package dev.idempotent.http.client;

/** What an {@link IdempotentHttpClient} did after one attempt of a request. */
public enum AttemptDecision {
  /** The response is not retryable (a success, or a status outside the retryable set): returned. */
  RETURNED,
  /** The attempt failed or answered a retryable status; another attempt follows after the delay. */
  RETRYING,
  /**
   * The failure is not retryable ({@link javax.net.ssl.SSLHandshakeException}, or not an {@link
   * java.io.IOException}): thrown to the caller.
   */
  NOT_RETRYABLE,
  /**
   * Retryable, but the request may have reached the server, its method is not idempotent and it
   * carries no {@code Idempotency-Key}: a retry could run it twice, so the outcome goes to the
   * caller.
   */
  UNSAFE_TO_RETRY,
  /** Retryable, but this was the last attempt the policy allows. */
  ATTEMPTS_EXHAUSTED,
  /** Retryable, but the deadline has passed or would pass before the next attempt could start. */
  DEADLINE_EXCEEDED
}
