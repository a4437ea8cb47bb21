package dev.idempotent.http.client;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * One attempt of a request sent through an {@link IdempotentHttpClient}, for logs and metrics. It
 * never holds a body or the key itself: only a hash of the key, enough to tell which attempts
 * belong together.
 *
 * @param attempt the attempt's number, 1 for the first
 * @param method the request method
 * @param uri the request URI
 * @param keyHash the first 16 hex digits of the SHA-256 of the {@code Idempotency-Key} header's
 *     value, or null when the request carries no key
 * @param status the response status, or 0 when the attempt failed without one
 * @param failure the exception the attempt failed with, or null when it got a response
 * @param decision what the client did next
 * @param delay the wait before the next attempt; {@link Duration#ZERO} unless {@code decision} is
 *     {@link AttemptDecision#RETRYING}
 * @param elapsed the time since the first attempt started
 */
public record AttemptEvent(
    int attempt,
    String method,
    URI uri,
    String keyHash,
    int status,
    Throwable failure,
    AttemptDecision decision,
    Duration delay,
    Duration elapsed) {

  /**
   * Checks that the components that are never absent are not null.
   *
   * @param attempt the attempt's number, 1 for the first
   * @param method the request method
   * @param uri the request URI
   * @param keyHash the key's hash, or null
   * @param status the response status, or 0
   * @param failure the exception, or null
   * @param decision what the client did next
   * @param delay the wait before the next attempt
   * @param elapsed the time since the first attempt started
   * @throws NullPointerException if method, uri, decision, delay or elapsed is null
   */
  public AttemptEvent {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(uri, "uri");
    Objects.requireNonNull(decision, "decision");
    Objects.requireNonNull(delay, "delay");
    Objects.requireNonNull(elapsed, "elapsed");
  }
}
