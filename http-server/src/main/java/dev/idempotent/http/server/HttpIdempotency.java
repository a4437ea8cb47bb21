package dev.idempotent.http.server;

import dev.idempotent.IdempotencyEngine;
import dev.idempotent.IdempotencyInProgressException;
import dev.idempotent.IdempotencyKeyException;
import dev.idempotent.IdempotencyKeyReuseException;
import dev.idempotent.IdempotencyStoreException;
import dev.idempotent.IdempotentOperation;
import dev.idempotent.PendingCall;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The {@code Idempotency-Key} header on the server, independent of any framework: which routes are
 * protected, how a request becomes a key, a scope and a fingerprint, and how a recorded response
 * comes back. The adapters {@link IdempotencyFilter} (Jakarta Servlet) and {@link
 * IdempotencyFeature} (JAX-RS) hand their requests to it. Records go through the given engine and
 * its store, so servers sharing a Redis or JDBC store answer a retry on any of them.
 *
 * <pre>{@code
 * HttpIdempotency idempotency = HttpIdempotency.builder(engine)
 *     .scope(RequestScope.authenticatedUser())
 *     .route(Route.post("/charges").build())
 *     .route(Route.post("/refunds").recordStatuses(402).build())
 *     .build();
 * servletContext.addFilter("idempotency", new IdempotencyFilter(idempotency));
 * }</pre>
 *
 * <p>Immutable and thread-safe; build one per application and share it.
 */
public final class HttpIdempotency {
  /** The request header that carries the key. */
  public static final String IDEMPOTENCY_KEY = "Idempotency-Key";

  /** The response header that marks a replay, with the value {@code true}, as Stripe sends it. */
  public static final String IDEMPOTENT_REPLAYED = "Idempotent-Replayed";

  /** The media type of every error this module answers with (RFC 9457). */
  public static final String PROBLEM_JSON = "application/problem+json";

  /** The default base of problem type URIs. */
  public static final String DEFAULT_PROBLEM_BASE = "https://idempotent.dev/problems/";

  private static final Base64.Encoder BASE64 = Base64.getUrlEncoder().withoutPadding();

  private final List<Route> routes;
  private final List<IdempotentOperation<RecordedResponse>> operations;
  private final RequestScope scope;
  private final String problemBase;
  private final Duration retryAfter;
  private final String retryAfterSeconds;

  private HttpIdempotency(Builder b) {
    this.routes = List.copyOf(b.routes);
    List<IdempotentOperation<RecordedResponse>> ops = new ArrayList<>();
    for (Route route : routes) {
      IdempotentOperation.Builder<RecordedResponse> op =
          b.engine
              .operation("http " + route.name(), RecordedResponse.class)
              .onInFlight(route.onInFlight());
      if (route.ttl() != null) {
        op.ttl(route.ttl());
      }
      if (route.lease() != null) {
        op.lease(route.lease());
      }
      if (route.waitTimeout() != null) {
        op.waitTimeout(route.waitTimeout());
      }
      ops.add(op.build());
    }
    this.operations = List.copyOf(ops);
    this.scope = b.scope;
    this.problemBase = b.problemBase;
    this.retryAfter = b.retryAfter;
    this.retryAfterSeconds = Long.toString(Math.max(1, (b.retryAfter.toMillis() + 999) / 1000));
  }

  /**
   * A builder over {@code engine}, whose store keeps the recorded responses.
   *
   * @param engine the engine; not null
   */
  public static Builder builder(IdempotencyEngine engine) {
    return new Builder(engine);
  }

  /** The routes, in the order they are matched. */
  public List<Route> routes() {
    return routes;
  }

  /** The {@code Retry-After} sent with 503 when the store is unavailable. */
  public Duration retryAfter() {
    return retryAfter;
  }

  /** The URI of a problem type: the configured base followed by the problem's slug. */
  public String problemType(IdempotencyProblem problem) {
    return problemBase + problem.slug();
  }

  /**
   * Decides what happens to a request: pass it through, answer it without running the handler, or
   * run it under its key.
   */
  Decision decide(Exchange exchange) {
    int index = match(exchange.method(), exchange.path());
    if (index < 0) {
      return Decision.Pass.INSTANCE;
    }
    Route route = routes.get(index);
    List<String> fields = exchange.headers(IDEMPOTENCY_KEY);
    if (fields.isEmpty()) {
      return route.keyRequired()
          ? respond(
              IdempotencyProblem.KEY_MISSING,
              "This request requires an Idempotency-Key header; send one key per logical request"
                  + " and reuse it when retrying.")
          : Decision.Pass.INSTANCE;
    }
    String key;
    try {
      if (fields.size() > 1) {
        throw KeyHeader.moreThanOne();
      }
      key = KeyHeader.parse(fields.get(0), route.maxKeyLength());
    } catch (KeyHeader.InvalidKey e) {
      return respond(IdempotencyProblem.KEY_INVALID, e.getMessage());
    }
    String scoped;
    if (scope == Scopes.NONE) {
      scoped = key;
    } else {
      String owner = scope.of(exchange);
      if (owner == null || owner.isEmpty()) {
        return respond(
            IdempotencyProblem.SCOPE_MISSING,
            "Idempotency keys of this service belong to a client, and the request does not say"
                + " which client sent it; authenticate the request.");
      }
      String digest =
          BASE64.encodeToString(sha256().digest(owner.getBytes(StandardCharsets.UTF_8)));
      scoped = digest + ":" + key;
    }
    byte[] body;
    try {
      body = exchange.readBody(route.maxRequestBytes());
    } catch (Exchange.BodyTooLarge e) {
      return respond(
          IdempotencyProblem.REQUEST_BODY_TOO_LARGE,
          "The request body is larger than the "
              + route.maxRequestBytes()
              + " bytes this route accepts.");
    } catch (IOException e) {
      return respond(
          IdempotencyProblem.REQUEST_BODY_INCOMPLETE,
          "The request body did not arrive whole; nothing was processed. Send the request again"
              + " with the same key.");
    }
    String fingerprint = fingerprint(route, exchange, body);
    Object started;
    try {
      started = operations.get(index).begin(scoped, fingerprint);
    } catch (IdempotencyInProgressException e) {
      return respond(
          IdempotencyProblem.REQUEST_IN_PROGRESS,
          "A request with this Idempotency-Key is still being processed; retry later to receive"
              + " its response.");
    } catch (IdempotencyKeyReuseException e) {
      return respond(
          IdempotencyProblem.KEY_REUSED,
          "This Idempotency-Key was used with a different request (method, path, headers or"
              + " body); send a new key for a new request.");
    } catch (IdempotencyStoreException e) {
      return respond(
          IdempotencyProblem.STORE_UNAVAILABLE,
          "The idempotency store is unavailable, so the request was not processed; retry after "
              + retryAfterSeconds
              + " s with the same key.");
    } catch (IdempotencyKeyException e) {
      return respond(
          IdempotencyProblem.SCOPE_MISSING,
          "The request's scope (tenant or principal) is unknown, so it was not processed.");
    }
    if (started instanceof PendingCall pending) {
      return new Admitted(this, route, pending, body);
    }
    return new Decision.Respond((RecordedResponse) started, true);
  }

  private int match(String method, String path) {
    for (int i = 0; i < routes.size(); i++) {
      if (routes.get(i).matches(method, path)) {
        return i;
      }
    }
    return -1;
  }

  /**
   * The SHA-256 of the method, the path and query, the route's fingerprint headers and the body,
   * each length-prefixed so that no two different requests write the same bytes.
   */
  private static String fingerprint(Route route, Exchange exchange, byte[] body) {
    MessageDigest digest = sha256();
    update(digest, exchange.method().toUpperCase(Locale.ROOT));
    update(digest, exchange.path());
    String query = exchange.query();
    update(digest, query == null ? "" : query);
    for (String name : route.fingerprintHeaders()) {
      List<String> values = exchange.headers(name);
      update(digest, name.toLowerCase(Locale.ROOT) + ":" + values.size());
      for (String value : values) {
        update(digest, value);
      }
    }
    digest.update(Integer.toString(body.length).getBytes(StandardCharsets.US_ASCII));
    digest.update((byte) ':');
    digest.update(body);
    return BASE64.encodeToString(digest.digest());
  }

  private static void update(MessageDigest digest, String field) {
    byte[] bytes = field.getBytes(StandardCharsets.UTF_8);
    digest.update(Integer.toString(bytes.length).getBytes(StandardCharsets.US_ASCII));
    digest.update((byte) ':');
    digest.update(bytes);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  private Decision respond(IdempotencyProblem problem, String detail) {
    return new Decision.Respond(problem(problem, detail), false);
  }

  /** An {@code application/problem+json} response for {@code problem}. */
  RecordedResponse problem(IdempotencyProblem problem, String detail) {
    String json =
        "{\"type\":"
            + quote(problemType(problem))
            + ",\"title\":"
            + quote(problem.title())
            + ",\"status\":"
            + problem.status()
            + ",\"detail\":"
            + quote(detail)
            + "}";
    Map<String, List<String>> headers = new LinkedHashMap<>();
    headers.put("Content-Type", List.of(PROBLEM_JSON));
    if (problem == IdempotencyProblem.STORE_UNAVAILABLE) {
      headers.put("Retry-After", List.of(retryAfterSeconds));
    }
    return new RecordedResponse(problem.status(), headers, json.getBytes(StandardCharsets.UTF_8));
  }

  private static String quote(String text) {
    StringBuilder out = new StringBuilder(text.length() + 2).append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }

  /** Settings for {@link HttpIdempotency}. Not thread-safe; what it builds is. */
  public static final class Builder {
    private final IdempotencyEngine engine;
    private final List<Route> routes = new ArrayList<>();
    private RequestScope scope;
    private String problemBase = DEFAULT_PROBLEM_BASE;
    private Duration retryAfter = Duration.ofSeconds(1);

    private Builder(IdempotencyEngine engine) {
      this.engine = Objects.requireNonNull(engine, "engine");
    }

    /**
     * Protects requests that match {@code route}. Routes are matched in the order they are added;
     * the first that matches protects the request, and a request no route matches passes through.
     *
     * @throws IllegalArgumentException when a route of the same name was added before
     */
    public Builder route(Route route) {
      Objects.requireNonNull(route, "route");
      for (Route r : routes) {
        if (r.name().equals(route.name())) {
          throw new IllegalArgumentException(
              "HttpIdempotency.Builder.route: two routes are named '"
                  + route.name()
                  + "', so they would share keys; give one another name with Route.Builder.name");
        }
      }
      routes.add(route);
      return this;
    }

    /**
     * Whose keys a request's key belongs to (required): {@link RequestScope#authenticatedUser()},
     * {@link RequestScope#header(String)} for an API key or tenant, your own, or {@link
     * RequestScope#none()} to share one key space between all clients.
     */
    public Builder scope(RequestScope scope) {
      this.scope = Objects.requireNonNull(scope, "scope");
      return this;
    }

    /**
     * The base of problem type URIs, followed by each problem's {@link IdempotencyProblem#slug()};
     * default {@value #DEFAULT_PROBLEM_BASE}. Point it at your own API documentation.
     *
     * @throws IllegalArgumentException when it is not an absolute URI
     */
    public Builder problemTypeBase(String base) {
      Objects.requireNonNull(base, "base");
      URI uri;
      try {
        uri = URI.create(base);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "HttpIdempotency.Builder.problemTypeBase: '" + base + "' is not a URI", e);
      }
      if (!uri.isAbsolute()) {
        throw new IllegalArgumentException(
            "HttpIdempotency.Builder.problemTypeBase: '"
                + base
                + "' is not absolute; use a URI such as https://api.example.com/problems/");
      }
      this.problemBase = base;
      return this;
    }

    /** The {@code Retry-After} sent with 503 when the store is unavailable; default 1 s. */
    public Builder retryAfter(Duration retryAfter) {
      Objects.requireNonNull(retryAfter, "retryAfter");
      if (retryAfter.isNegative() || retryAfter.isZero()) {
        throw new IllegalArgumentException(
            "HttpIdempotency.Builder.retryAfter must be positive, was " + retryAfter);
      }
      this.retryAfter = retryAfter;
      return this;
    }

    /**
     * Builds it.
     *
     * @throws IllegalStateException when no scope or no route is set
     */
    public HttpIdempotency build() {
      if (scope == null) {
        throw new IllegalStateException(
            "HttpIdempotency.Builder: no scope is set. Choose whose keys a key belongs to:"
                + " scope(RequestScope.authenticatedUser()), scope(RequestScope.header(\"X-Api-Key\")),"
                + " or scope(RequestScope.none()) if every client may share one key space.");
      }
      if (routes.isEmpty()) {
        throw new IllegalStateException(
            "HttpIdempotency.Builder: no route is set, so nothing would be protected; add"
                + " route(Route.post(\"/charges\").build()) for each endpoint to protect.");
      }
      return new HttpIdempotency(this);
    }
  }
}
