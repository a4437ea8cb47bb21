package dev.idempotent.http.server;

import java.security.Principal;
import java.util.Objects;

/**
 * Whose keys a request's key belongs to: the authenticated user, an API key, a tenant. Two requests
 * with the same {@code Idempotency-Key} but different scopes are different requests, so one client
 * can never receive another client's recorded response by sending (or guessing) its key. The scope
 * is mixed into the store key as its SHA-256, so secrets such as API keys never reach the store.
 *
 * <p>Implementations must be thread-safe and fast: called once per protected request on the
 * request's thread.
 */
@FunctionalInterface
public interface RequestScope {

  /**
   * The scope of this request.
   *
   * @param request the request
   * @return the scope; null or empty when the request has none, which is answered with 400 and the
   *     problem type {@link IdempotencyProblem#SCOPE_MISSING}, and nothing runs
   */
  String of(RequestView request);

  /**
   * No scope: every client shares one key space, and a client that learns another's key receives
   * that client's response. Choose it only where there is one client, or keys are secrets.
   */
  static RequestScope none() {
    return Scopes.NONE;
  }

  /** The authenticated principal's name ({@link RequestView#principal()}). */
  static RequestScope authenticatedUser() {
    return request -> {
      Principal principal = request.principal();
      return principal == null ? null : principal.getName();
    };
  }

  /**
   * The value of a request header, such as an API key ({@code Authorization}, {@code X-Api-Key}) or
   * a tenant ({@code X-Tenant-Id}) that the application has authenticated before this filter runs.
   *
   * @param name the header name
   * @throws IllegalArgumentException when the name is blank
   */
  static RequestScope header(String name) {
    Objects.requireNonNull(name, "name");
    if (name.isBlank()) {
      throw new IllegalArgumentException("RequestScope.header(name): the header name is blank");
    }
    return request -> request.header(name);
  }
}
