package dev.idempotent.http.client;

import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * When an {@link IdempotentHttpClient} retries, how long it waits, and which requests get an {@code
 * Idempotency-Key}.
 *
 * <p>The defaults ({@link #defaults()}):
 *
 * <ul>
 *   <li>at most {@value #DEFAULT_MAX_ATTEMPTS} attempts, all within a deadline of 30 seconds from
 *       the first;
 *   <li>exponential backoff with full jitter: before retry {@code n} a uniformly random wait
 *       between zero and {@code min(maxDelay, initialDelay * 2^(n-1))}, with an initial delay of
 *       100 ms and a maximum of 5 s;
 *   <li>a {@code Retry-After} header on a retryable response replaces the backoff (when it points
 *       past the deadline, the response is returned instead of waiting);
 *   <li>retryable statuses 408, 409 (only for a request that carries a key: the draft's "this key
 *       is still being processed"), 425, 429, 500, 502, 503, 504; every other status, among them
 *       400, 401, 403, 404 and 422, is returned to the caller at once;
 *   <li>{@code POST} and {@code PATCH} requests get a key.
 * </ul>
 *
 * <p>Immutable and thread-safe.
 */
public final class RetryPolicy {
  /** The default maximum number of attempts, the first one included. */
  public static final int DEFAULT_MAX_ATTEMPTS = 4;

  /** The statuses retried by default. */
  public static final Set<Integer> DEFAULT_RETRYABLE_STATUSES =
      Set.of(408, 409, 425, 429, 500, 502, 503, 504);

  /** The methods that get a key by default. */
  public static final Set<String> DEFAULT_KEYED_METHODS = Set.of("POST", "PATCH");

  private static final RetryPolicy DEFAULTS = new Builder().build();

  private final int maxAttempts;
  private final Duration initialDelay;
  private final Duration maxDelay;
  private final Duration deadline;
  private final Set<Integer> retryableStatuses;
  private final Set<String> keyedMethods;
  private final boolean honourRetryAfter;

  private RetryPolicy(Builder builder) {
    this.maxAttempts = builder.maxAttempts;
    this.initialDelay = builder.initialDelay;
    this.maxDelay = builder.maxDelay;
    this.deadline = builder.deadline;
    this.retryableStatuses = Set.copyOf(builder.retryableStatuses);
    this.keyedMethods = Set.copyOf(builder.keyedMethods);
    this.honourRetryAfter = builder.honourRetryAfter;
  }

  /**
   * The default policy, described on this class.
   *
   * @return the default policy
   */
  public static RetryPolicy defaults() {
    return DEFAULTS;
  }

  /**
   * A builder that starts from the defaults.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder that starts from this policy's settings.
   *
   * @return a new builder
   */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /**
   * The most attempts one logical request makes, the first one included; 1 means no retries.
   *
   * @return at least 1
   */
  public int maxAttempts() {
    return maxAttempts;
  }

  /**
   * The ceiling of the wait before the first retry; it doubles for each later retry.
   *
   * @return a positive duration
   */
  public Duration initialDelay() {
    return initialDelay;
  }

  /**
   * The largest ceiling the doubling reaches.
   *
   * @return a duration not shorter than {@link #initialDelay()}
   */
  public Duration maxDelay() {
    return maxDelay;
  }

  /**
   * How long all attempts of one logical request may take together, counted from the start of the
   * first. No attempt starts after it, and each attempt's {@link
   * java.net.http.HttpRequest#timeout() timeout} is shortened to the time left.
   *
   * @return a positive duration
   */
  public Duration deadline() {
    return deadline;
  }

  /**
   * The response statuses that are retried. 409 among them is retried only for a request that
   * carries an {@code Idempotency-Key}.
   *
   * @return an unmodifiable set of statuses between 400 and 599
   */
  public Set<Integer> retryableStatuses() {
    return retryableStatuses;
  }

  /**
   * The request methods that get an {@code Idempotency-Key} when they carry none, compared exactly
   * (HTTP methods are case-sensitive).
   *
   * @return an unmodifiable set of method names
   */
  public Set<String> keyedMethods() {
    return keyedMethods;
  }

  /**
   * Whether a {@code Retry-After} header on a retryable response sets the wait instead of the
   * backoff.
   *
   * @return true by default
   */
  public boolean honourRetryAfter() {
    return honourRetryAfter;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof RetryPolicy that
        && maxAttempts == that.maxAttempts
        && honourRetryAfter == that.honourRetryAfter
        && initialDelay.equals(that.initialDelay)
        && maxDelay.equals(that.maxDelay)
        && deadline.equals(that.deadline)
        && retryableStatuses.equals(that.retryableStatuses)
        && keyedMethods.equals(that.keyedMethods);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        maxAttempts,
        initialDelay,
        maxDelay,
        deadline,
        retryableStatuses,
        keyedMethods,
        honourRetryAfter);
  }

  @Override
  public String toString() {
    return "RetryPolicy{maxAttempts="
        + maxAttempts
        + ", initialDelay="
        + initialDelay
        + ", maxDelay="
        + maxDelay
        + ", deadline="
        + deadline
        + ", retryableStatuses="
        + new TreeSet<>(retryableStatuses)
        + ", keyedMethods="
        + new TreeSet<>(keyedMethods)
        + ", honourRetryAfter="
        + honourRetryAfter
        + '}';
  }

  /**
   * Builds a {@link RetryPolicy}; every setting starts at its default. Not thread-safe.
   *
   * <p>Each setter checks its argument at once and throws {@link IllegalArgumentException} (or
   * {@link NullPointerException} for a null) naming the setting, the value and what is allowed.
   */
  public static final class Builder {
    private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
    private Duration initialDelay = Duration.ofMillis(100);
    private Duration maxDelay = Duration.ofSeconds(5);
    private Duration deadline = Duration.ofSeconds(30);
    private Set<Integer> retryableStatuses = DEFAULT_RETRYABLE_STATUSES;
    private Set<String> keyedMethods = DEFAULT_KEYED_METHODS;
    private boolean honourRetryAfter = true;

    private Builder() {}

    private Builder(RetryPolicy policy) {
      this.maxAttempts = policy.maxAttempts;
      this.initialDelay = policy.initialDelay;
      this.maxDelay = policy.maxDelay;
      this.deadline = policy.deadline;
      this.retryableStatuses = policy.retryableStatuses;
      this.keyedMethods = policy.keyedMethods;
      this.honourRetryAfter = policy.honourRetryAfter;
    }

    /**
     * Sets the most attempts per logical request, the first one included.
     *
     * @param maxAttempts 1 (never retry) or more
     * @return this builder
     * @throws IllegalArgumentException if {@code maxAttempts} is below 1
     */
    public Builder maxAttempts(int maxAttempts) {
      if (maxAttempts < 1) {
        throw new IllegalArgumentException(
            "RetryPolicy.Builder.maxAttempts: "
                + maxAttempts
                + " is not allowed; give 1 to send once without retries, or more to retry");
      }
      this.maxAttempts = maxAttempts;
      return this;
    }

    /**
     * Sets the backoff: the ceiling of the first retry's random wait, doubling per retry up to
     * {@code maxDelay}.
     *
     * @param initialDelay a positive duration
     * @param maxDelay a duration not shorter than {@code initialDelay}
     * @return this builder
     * @throws IllegalArgumentException if a duration is zero or negative, or {@code maxDelay} is
     *     shorter than {@code initialDelay}
     */
    public Builder backoff(Duration initialDelay, Duration maxDelay) {
      requirePositive("backoff(initialDelay, ...)", initialDelay);
      requirePositive("backoff(..., maxDelay)", maxDelay);
      if (maxDelay.compareTo(initialDelay) < 0) {
        throw new IllegalArgumentException(
            "RetryPolicy.Builder.backoff: maxDelay "
                + maxDelay
                + " is shorter than initialDelay "
                + initialDelay
                + "; give a maxDelay at least as long as the initialDelay");
      }
      this.initialDelay = initialDelay;
      this.maxDelay = maxDelay;
      return this;
    }

    /**
     * Sets how long all attempts of one logical request may take together.
     *
     * @param deadline a positive duration
     * @return this builder
     * @throws IllegalArgumentException if {@code deadline} is zero or negative
     */
    public Builder deadline(Duration deadline) {
      requirePositive("deadline", deadline);
      this.deadline = deadline;
      return this;
    }

    /**
     * Sets the statuses that are retried, replacing the default set.
     *
     * @param statuses statuses between 400 and 599; may be empty (retry only failures to connect or
     *     to receive a response)
     * @return this builder
     * @throws IllegalArgumentException if a status is outside 400 to 599
     */
    public Builder retryableStatuses(Collection<Integer> statuses) {
      Objects.requireNonNull(statuses, "RetryPolicy.Builder.retryableStatuses: statuses is null");
      Set<Integer> copy = new LinkedHashSet<>();
      for (Integer status : statuses) {
        if (status == null || status < 400 || status > 599) {
          throw new IllegalArgumentException(
              "RetryPolicy.Builder.retryableStatuses: "
                  + status
                  + " is not allowed; give error statuses between 400 and 599 (a 1xx, 2xx or 3xx"
                  + " answer is never retried)");
        }
        copy.add(status);
      }
      this.retryableStatuses = copy;
      return this;
    }

    /**
     * Sets the statuses that are retried, replacing the default set.
     *
     * @param statuses statuses between 400 and 599
     * @return this builder
     * @throws IllegalArgumentException if a status is outside 400 to 599
     */
    public Builder retryableStatuses(int... statuses) {
      return retryableStatuses(Arrays.stream(statuses).boxed().toList());
    }

    /**
     * Sets the methods that get an {@code Idempotency-Key} when the request carries none, replacing
     * the default {@code POST} and {@code PATCH}. An empty set adds no keys; a request whose method
     * is not idempotent (RFC 9110: anything but GET, HEAD, OPTIONS, TRACE, PUT and DELETE) and
     * carries no key is then retried only when it cannot have reached the server.
     *
     * @param methods method names, exactly as the requests spell them
     * @return this builder
     * @throws IllegalArgumentException if a name is empty or not an HTTP token
     */
    public Builder keyedMethods(Collection<String> methods) {
      Objects.requireNonNull(methods, "RetryPolicy.Builder.keyedMethods: methods is null");
      Set<String> copy = new LinkedHashSet<>();
      for (String method : methods) {
        if (method == null || method.isEmpty() || !method.chars().allMatch(Builder::isTokenChar)) {
          throw new IllegalArgumentException(
              "RetryPolicy.Builder.keyedMethods: "
                  + (method == null ? "null" : '"' + method + '"')
                  + " is not an HTTP method name; give names such as \"POST\" or \"PATCH\"");
        }
        copy.add(method);
      }
      this.keyedMethods = copy;
      return this;
    }

    /**
     * Sets the methods that get an {@code Idempotency-Key}, replacing the default set.
     *
     * @param methods method names, exactly as the requests spell them
     * @return this builder
     * @throws IllegalArgumentException if a name is empty or not an HTTP token
     */
    public Builder keyedMethods(String... methods) {
      return keyedMethods(Arrays.asList(methods));
    }

    /**
     * Sets whether a {@code Retry-After} header on a retryable response sets the wait.
     *
     * @param honourRetryAfter false to always use the backoff
     * @return this builder
     */
    public Builder honourRetryAfter(boolean honourRetryAfter) {
      this.honourRetryAfter = honourRetryAfter;
      return this;
    }

    /**
     * Builds the policy.
     *
     * @return an immutable policy
     */
    public RetryPolicy build() {
      return new RetryPolicy(this);
    }

    private static void requirePositive(String setting, Duration value) {
      Objects.requireNonNull(value, () -> "RetryPolicy.Builder." + setting + ": null duration");
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(
            "RetryPolicy.Builder."
                + setting
                + ": "
                + value
                + " is not allowed; give a positive duration");
      }
    }

    private static boolean isTokenChar(int c) {
      return (c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }
  }
}
