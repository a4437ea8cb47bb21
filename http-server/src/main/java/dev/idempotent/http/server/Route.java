package dev.idempotent.http.server;

import dev.idempotent.InFlight;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * How requests to one method and path pattern are protected: whether the key is required, what the
 * fingerprint covers, which responses are recorded with which headers, the size limits, and what a
 * duplicate does while the first request runs. Built with {@link #builder(String, String)};
 * immutable and thread-safe.
 *
 * <pre>{@code
 * Route charges = Route.post("/charges")
 *     .recordStatuses(402, 409)          // 2xx always; these 4xx too
 *     .recordHeaders("X-Request-Id")     // besides Content-Type and Location
 *     .ttl(Duration.ofHours(24))
 *     .build();
 * }</pre>
 *
 * <p>Defaults: the key is required; a duplicate while the first request runs is answered 409 at
 * once ({@link InFlight#REJECT}); 2xx responses are recorded with {@code Content-Type} and {@code
 * Location}; the fingerprint covers the method, the path and query, and the body; request and
 * response bodies up to 1 MiB; keys up to 255 characters; the engine's ttl and lease.
 */
public final class Route {
  /** The default limit of request and response bodies: 1 MiB. */
  public static final int DEFAULT_MAX_BODY_BYTES = 1 << 20;

  /** The default longest key: 255 characters, as Stripe accepts. */
  public static final int DEFAULT_MAX_KEY_LENGTH = 255;

  private final String method;
  private final PathPattern pattern;
  private final String name;
  private final boolean keyRequired;
  private final InFlight inFlight;
  private final Duration waitTimeout;
  private final Duration ttl;
  private final Duration lease;
  private final BitSet recordedStatuses;
  private final List<String> recordedHeaders;
  private final List<String> fingerprintHeaders;
  private final int maxRequestBytes;
  private final int maxResponseBytes;
  private final int maxKeyLength;

  private Route(Builder b) {
    this.method = b.method;
    this.pattern = b.pattern;
    this.name = b.name != null ? b.name : b.method + " " + b.pattern;
    this.keyRequired = b.keyRequired;
    this.inFlight = b.inFlight;
    this.waitTimeout = b.waitTimeout;
    this.ttl = b.ttl;
    this.lease = b.lease;
    this.recordedStatuses = (BitSet) b.recordedStatuses.clone();
    List<String> headers = new ArrayList<>(List.of("Content-Type", "Location"));
    for (String h : b.recordedHeaders) {
      if (headers.stream().noneMatch(h::equalsIgnoreCase)) {
        headers.add(h);
      }
    }
    this.recordedHeaders = List.copyOf(headers);
    this.fingerprintHeaders = List.copyOf(b.fingerprintHeaders);
    this.maxRequestBytes = b.maxRequestBytes;
    this.maxResponseBytes = b.maxResponseBytes;
    this.maxKeyLength = b.maxKeyLength;
  }

  /**
   * A builder for requests with this method and path pattern.
   *
   * @param method the HTTP method, such as {@code POST}; matched without regard to case
   * @param pathPattern the path inside the application: literal segments, {@code *} or {@code
   *     {name}} for one segment, a final {@code **} for any rest ({@code /orders/{id}/refunds})
   * @throws IllegalArgumentException when the method is blank or the pattern is malformed
   */
  public static Builder builder(String method, String pathPattern) {
    return new Builder(method, pathPattern);
  }

  /** {@code builder("POST", pathPattern)}. */
  public static Builder post(String pathPattern) {
    return builder("POST", pathPattern);
  }

  /** {@code builder("PATCH", pathPattern)}. */
  public static Builder patch(String pathPattern) {
    return builder("PATCH", pathPattern);
  }

  /** The HTTP method, upper case. */
  public String method() {
    return method;
  }

  /** The path pattern as given. */
  public String pathPattern() {
    return pattern.toString();
  }

  /**
   * The route's name, part of every key's namespace ({@code http POST /charges}); default the
   * method and the pattern.
   */
  public String name() {
    return name;
  }

  /** Whether a request without a key is refused (400) rather than let through unprotected. */
  public boolean keyRequired() {
    return keyRequired;
  }

  /** What a duplicate does while the first request runs. */
  public InFlight onInFlight() {
    return inFlight;
  }

  /** The longest wait of a duplicate when {@link #onInFlight()} is WAIT; null: the engine's. */
  public Duration waitTimeout() {
    return waitTimeout;
  }

  /** How long a recorded response is replayed; null: the engine's default. */
  public Duration ttl() {
    return ttl;
  }

  /** How long an unfinished request holds its key; null: the engine's default. */
  public Duration lease() {
    return lease;
  }

  /** Whether a response with this status is recorded (otherwise the key is released). */
  public boolean records(int status) {
    return status >= 0 && recordedStatuses.get(status);
  }

  /** The headers recorded and replayed: Content-Type, Location, then the route's own. */
  public List<String> recordedHeaders() {
    return recordedHeaders;
  }

  /** The request headers that are part of the fingerprint, besides method, path and body. */
  public List<String> fingerprintHeaders() {
    return fingerprintHeaders;
  }

  /** The largest request body accepted, in bytes. */
  public int maxRequestBytes() {
    return maxRequestBytes;
  }

  /** The largest response body recorded, in bytes. */
  public int maxResponseBytes() {
    return maxResponseBytes;
  }

  /** The longest key accepted, in characters. */
  public int maxKeyLength() {
    return maxKeyLength;
  }

  boolean matches(String requestMethod, String path) {
    return method.equalsIgnoreCase(requestMethod) && pattern.matches(path);
  }

  /** The route's name, as {@code Route[POST /charges]}. */
  @Override
  public String toString() {
    return "Route[" + name + "]";
  }

  /** Settings for a {@link Route}. Not thread-safe; the route it builds is. */
  public static final class Builder {
    private final String method;
    private final PathPattern pattern;
    private String name;
    private boolean keyRequired = true;
    private InFlight inFlight = InFlight.REJECT;
    private Duration waitTimeout;
    private Duration ttl;
    private Duration lease;
    private final BitSet recordedStatuses = new BitSet(600);
    private List<String> recordedHeaders = List.of();
    private List<String> fingerprintHeaders = List.of();
    private int maxRequestBytes = DEFAULT_MAX_BODY_BYTES;
    private int maxResponseBytes = DEFAULT_MAX_BODY_BYTES;
    private int maxKeyLength = DEFAULT_MAX_KEY_LENGTH;

    private Builder(String method, String pathPattern) {
      Objects.requireNonNull(method, "method");
      Objects.requireNonNull(pathPattern, "pathPattern");
      if (method.isBlank()) {
        throw new IllegalArgumentException("Route.builder(method, pathPattern): method is blank");
      }
      this.method = method.trim().toUpperCase(Locale.ROOT);
      this.pattern = PathPattern.compile(pathPattern);
      recordedStatuses.set(200, 300);
    }

    /**
     * The route's name in key namespaces; default {@code "METHOD pattern"}. Renaming a route
     * orphans its records, so set a name to keep them across a change of pattern.
     */
    public Builder name(String name) {
      Objects.requireNonNull(name, "name");
      if (name.isBlank()) {
        throw new IllegalArgumentException("Route.Builder.name: the name is blank");
      }
      this.name = name;
      return this;
    }

    /**
     * Whether a request without a key is refused with 400; default true. When false, such a request
     * runs unprotected.
     */
    public Builder keyRequired(boolean keyRequired) {
      this.keyRequired = keyRequired;
      return this;
    }

    /**
     * What a duplicate does while the first request runs: REJECT answers 409 at once (the default),
     * WAIT waits up to {@link #waitTimeout} for the first response and replays it.
     */
    public Builder onInFlight(InFlight inFlight) {
      this.inFlight = Objects.requireNonNull(inFlight, "inFlight");
      return this;
    }

    /** The longest wait under WAIT, after which the duplicate gets 409; default the engine's. */
    public Builder waitTimeout(Duration waitTimeout) {
      this.waitTimeout = positive("waitTimeout", waitTimeout);
      return this;
    }

    /** How long a recorded response is replayed; default the engine's (24 h). */
    public Builder ttl(Duration ttl) {
      this.ttl = positive("ttl", ttl);
      return this;
    }

    /**
     * How long an unfinished request holds its key; default the engine's (30 s, renewed while the
     * request runs).
     */
    public Builder lease(Duration lease) {
      this.lease = positive("lease", lease);
      return this;
    }

    /**
     * Further statuses to record besides every 2xx, such as the 4xx that describe the request
     * rather than a passing condition (402 card declined, 409 conflict with the resource's state).
     * A status not recorded releases the key, so the retry runs again; 5xx are not recorded by
     * default because they usually are passing conditions.
     *
     * @throws IllegalArgumentException for a status outside 100 to 599
     */
    public Builder recordStatuses(int... statuses) {
      for (int status : statuses) {
        if (status < 100 || status > 599) {
          throw new IllegalArgumentException(
              "Route.Builder.recordStatuses: " + status + " is not an HTTP status (100 to 599)");
        }
        recordedStatuses.set(status);
      }
      return this;
    }

    /**
     * Response headers to record and replay besides {@code Content-Type} and {@code Location}. Only
     * listed headers are replayed: headers that describe one delivery (Date, Set-Cookie, tracing)
     * are not.
     */
    public Builder recordHeaders(String... names) {
      this.recordedHeaders = names("recordHeaders", names);
      return this;
    }

    /**
     * Request headers that are part of the fingerprint besides the method, the path and query, and
     * the body, such as {@code Content-Type} or an API version header: the same key with another
     * value of one of them is answered 422.
     */
    public Builder fingerprintHeaders(String... names) {
      this.fingerprintHeaders = names("fingerprintHeaders", names);
      return this;
    }

    /**
     * The largest request body accepted, in bytes; a larger one is answered 413 and nothing runs;
     * default 1 MiB.
     */
    public Builder maxRequestBytes(int bytes) {
      this.maxRequestBytes = atLeast("maxRequestBytes", bytes, 0);
      return this;
    }

    /**
     * The largest response body recorded, in bytes; default 1 MiB. A larger response is never
     * truncated: it is not sent, the client gets 500 with the problem type {@link
     * IdempotencyProblem#RESPONSE_TOO_LARGE}, that answer is recorded for the key (the handler has
     * run, so a retry must not run it again), and an ERROR is logged. Set it above the largest
     * response the route sends.
     */
    public Builder maxResponseBytes(int bytes) {
      this.maxResponseBytes = atLeast("maxResponseBytes", bytes, 0);
      return this;
    }

    /** The longest key accepted, in characters; a longer one is answered 400; default 255. */
    public Builder maxKeyLength(int length) {
      this.maxKeyLength = atLeast("maxKeyLength", length, 1);
      return this;
    }

    /** Builds the route. */
    public Route build() {
      return new Route(this);
    }

    private static Duration positive(String setting, Duration d) {
      Objects.requireNonNull(d, setting);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(
            "Route.Builder." + setting + " must be positive, was " + d);
      }
      return d;
    }

    private static int atLeast(String setting, int value, int min) {
      if (value < min) {
        throw new IllegalArgumentException(
            "Route.Builder." + setting + " must be at least " + min + ", was " + value);
      }
      return value;
    }

    private static List<String> names(String setting, String... names) {
      List<String> list = new ArrayList<>();
      for (String n : names) {
        if (n == null || n.isBlank()) {
          throw new IllegalArgumentException(
              "Route.Builder." + setting + ": a header name is blank");
        }
        list.add(n.trim());
      }
      return List.copyOf(list);
    }
  }
}
