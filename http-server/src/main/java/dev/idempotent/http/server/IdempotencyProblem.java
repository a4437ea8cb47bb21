package dev.idempotent.http.server;

/**
 * The errors this module answers with, each an {@code application/problem+json} (RFC 9457) response
 * whose {@code type} is the configured base URI followed by {@link #slug()}.
 */
public enum IdempotencyProblem {
  /** A route that requires a key received none: 400. */
  KEY_MISSING(400, "idempotency-key-missing", "Idempotency-Key header missing"),
  /**
   * The key is not a Structured Field string or a bare token, is empty, too long, holds characters
   * outside printable ASCII, or the header was sent more than once: 400.
   */
  KEY_INVALID(400, "idempotency-key-invalid", "Idempotency-Key header invalid"),
  /** The route scopes keys by principal, API key or tenant, and the request carries none: 400. */
  SCOPE_MISSING(400, "idempotency-scope-missing", "Idempotency scope missing"),
  /** The request body did not arrive whole (the client went away mid-body): 400. */
  REQUEST_BODY_INCOMPLETE(400, "request-body-incomplete", "Request body incomplete"),
  /** A request with this key is still being processed: 409. */
  REQUEST_IN_PROGRESS(409, "idempotency-request-in-progress", "Request in progress"),
  /** The request body is larger than the route allows: 413. */
  REQUEST_BODY_TOO_LARGE(413, "request-body-too-large", "Request body too large"),
  /** The key was used before with a different request (method, path, headers or body): 422. */
  KEY_REUSED(422, "idempotency-key-reused", "Idempotency-Key reused"),
  /** The response was larger than the route can record: 500, recorded for the key. */
  RESPONSE_TOO_LARGE(500, "response-too-large", "Response too large to record"),
  /** The idempotency store cannot be reached: 503 with {@code Retry-After}; nothing ran. */
  STORE_UNAVAILABLE(503, "idempotency-store-unavailable", "Idempotency store unavailable");

  private final int status;
  private final String slug;
  private final String title;

  IdempotencyProblem(int status, String slug, String title) {
    this.status = status;
    this.slug = slug;
    this.title = title;
  }

  /** The HTTP status of the response. */
  public int status() {
    return status;
  }

  /** The last part of the problem type URI, such as {@code idempotency-key-reused}. */
  public String slug() {
    return slug;
  }

  /**
   * The problem's {@code title}: a short summary that does not change from one request to the next.
   */
  public String title() {
    return title;
  }
}
