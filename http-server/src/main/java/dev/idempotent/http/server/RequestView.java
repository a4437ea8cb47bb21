package dev.idempotent.http.server;

import java.security.Principal;
import java.util.List;

/**
 * What a {@link RequestScope} may read of an incoming request: its method, path, headers and
 * authenticated principal, the same for every adapter (servlet filter, JAX-RS feature). The body is
 * not part of it. An instance lives for one request and is read on the request's thread.
 */
public interface RequestView {

  /** The HTTP method, upper case as sent ({@code POST}). */
  String method();

  /**
   * The request path inside the application (without the servlet context path or the JAX-RS
   * application path), starting with {@code /}, percent-encoded as sent, without the query.
   */
  String path();

  /**
   * The values of a request header, found by name regardless of case.
   *
   * @return every value of every field line with that name, in order; empty when absent
   */
  List<String> headers(String name);

  /**
   * The first value of a request header.
   *
   * @return the value, or null when absent
   */
  default String header(String name) {
    List<String> values = headers(name);
    return values.isEmpty() ? null : values.get(0);
  }

  /**
   * The authenticated principal, as the container or the application's security filter set it.
   *
   * @return the principal, or null when the request is not authenticated
   */
  Principal principal();
}
