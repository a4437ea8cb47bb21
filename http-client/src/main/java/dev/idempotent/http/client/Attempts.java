package dev.idempotent.http.client;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.BodySubscribers;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLHandshakeException;

/**
 * The attempts of one logical request: which attempt is running, the time left, and the decision
 * after each attempt. {@code send} and {@code sendAsync} both drive one of these, so the two paths
 * decide alike.
 *
 * <p>Used by one logical request at a time: the blocking path from one thread, the async path from
 * callbacks that follow one another.
 */
final class Attempts {
  /** Methods RFC 9110 calls idempotent: a repeat has the effect of one request. */
  private static final Set<String> IDEMPOTENT_METHODS =
      Set.of("GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE");

  private static final String RETRY_AFTER = "Retry-After";

  private static final System.Logger LOGGER = System.getLogger("dev.idempotent.http.client");

  /** What to do after an attempt. */
  private record Verdict(AttemptDecision decision, long delayNanos) {
    boolean retry() {
      return decision == AttemptDecision.RETRYING;
    }
  }

  private final Settings settings;
  private final RetryPolicy policy;
  private final String method;
  private final URI uri;
  private final String keyHash;
  private final boolean keyed;
  private final boolean safeToRepeat;
  private final long startNanos;
  private final long deadlineNanos;
  private final List<Throwable> earlierFailures = new ArrayList<>();
  private volatile int attempt;
  private volatile Verdict verdictFromHeaders;

  /**
   * @param settings the policy, time, randomness and listener
   * @param method the request method
   * @param uri the request URI
   * @param key the {@code Idempotency-Key} value every attempt sends, or null
   */
  Attempts(Settings settings, String method, URI uri, String key) {
    this.settings = settings;
    this.policy = settings.policy();
    this.method = method;
    this.uri = uri;
    this.keyHash = key == null ? null : hash(key);
    this.keyed = key != null;
    this.safeToRepeat = keyed || IDEMPOTENT_METHODS.contains(method);
    this.startNanos = settings.timer().nanoTime();
    this.deadlineNanos = startNanos + saturatedNanos(policy.deadline());
  }

  /** Starts the next attempt. */
  void begin() {
    attempt++;
    verdictFromHeaders = null;
  }

  /**
   * The time left until the deadline.
   *
   * @return at least 1 ns, so that it can always be a timeout
   */
  Duration timeLeft() {
    return Duration.ofNanos(Math.max(deadlineNanos - settings.timer().nanoTime(), 1));
  }

  /**
   * Starts the next attempt of a JDK request.
   *
   * @return the request to send: the logical request with its timeout cut to the time left
   */
  HttpRequest next(HttpRequest request) {
    begin();
    Duration timeout = timeLeft();
    if (request.timeout().map(own -> own.compareTo(timeout) <= 0).orElse(false)) {
      return request;
    }
    return HttpRequest.newBuilder(request, (name, value) -> true).timeout(timeout).build();
  }

  /**
   * Wraps the caller's body handler: a response that will be retried is decided on its status and
   * headers, and its body discarded instead of handed to the caller's handler (which would, say,
   * write a file or open a stream nobody closes). The last response goes to the caller's handler.
   */
  <T> BodyHandler<T> handler(BodyHandler<T> callers) {
    return info -> {
      Verdict verdict =
          judgeResponse(info.statusCode(), info.headers().firstValue(RETRY_AFTER).orElse(null));
      verdictFromHeaders = verdict;
      return verdict.retry() ? BodySubscribers.replacing(null) : callers.apply(info);
    };
  }

  /**
   * After an attempt that got a response.
   *
   * @return nanoseconds to wait before the next attempt, or -1 to return this response
   */
  long afterResponse(HttpResponse<?> response) {
    return afterResponse(
        response.statusCode(), response.headers().firstValue(RETRY_AFTER).orElse(null));
  }

  /**
   * After an attempt that got a response with this status and {@code Retry-After} header.
   *
   * @return nanoseconds to wait before the next attempt, or -1 to return this response
   */
  long afterResponse(int status, String retryAfter) {
    Verdict verdict = verdictFromHeaders;
    if (verdict == null) {
      verdict = judgeResponse(status, retryAfter);
    }
    report(status, null, verdict);
    return verdict.retry() ? verdict.delayNanos() : -1;
  }

  /**
   * After an attempt that failed. When the answer is -1, the caller throws {@code failure}, which
   * then carries the failures of the earlier attempts as suppressed exceptions.
   *
   * @return nanoseconds to wait before the next attempt, or -1 to throw {@code failure}
   */
  long afterFailure(Throwable failure) {
    Verdict verdict = judgeFailure(failure);
    report(0, failure, verdict);
    if (verdict.retry()) {
      earlierFailures.add(failure);
      return verdict.delayNanos();
    }
    for (Throwable earlier : earlierFailures) {
      if (earlier != failure) {
        failure.addSuppressed(earlier);
      }
    }
    return -1;
  }

  private Verdict judgeResponse(int status, String retryAfter) {
    // 409 means "this key is still being processed" only when there is a key; otherwise it is
    // the ordinary conflict that a retry cannot resolve.
    boolean retryable = policy.retryableStatuses().contains(status) && (status != 409 || keyed);
    if (!retryable) {
      return new Verdict(AttemptDecision.RETURNED, 0);
    }
    if (!safeToRepeat) {
      return new Verdict(AttemptDecision.UNSAFE_TO_RETRY, 0);
    }
    long asked =
        policy.honourRetryAfter()
            ? RetryAfter.nanos(retryAfter, settings.timer().now())
            : RetryAfter.NONE;
    return scheduleRetry(asked == RetryAfter.NONE ? backoffNanos() : asked);
  }

  private Verdict judgeFailure(Throwable failure) {
    if (!(failure instanceof IOException) || failure instanceof SSLHandshakeException) {
      return new Verdict(AttemptDecision.NOT_RETRYABLE, 0);
    }
    if (!safeToRepeat && !neverReachedServer(failure)) {
      return new Verdict(AttemptDecision.UNSAFE_TO_RETRY, 0);
    }
    return scheduleRetry(backoffNanos());
  }

  private Verdict scheduleRetry(long delayNanos) {
    if (attempt >= policy.maxAttempts()) {
      return new Verdict(AttemptDecision.ATTEMPTS_EXHAUSTED, 0);
    }
    long left = deadlineNanos - settings.timer().nanoTime();
    if (delayNanos >= left) {
      return new Verdict(AttemptDecision.DEADLINE_EXCEEDED, 0);
    }
    return new Verdict(AttemptDecision.RETRYING, delayNanos);
  }

  /** Full jitter: uniform between zero and the doubling ceiling for this retry. */
  private long backoffNanos() {
    long initial = saturatedNanos(policy.initialDelay());
    long max = saturatedNanos(policy.maxDelay());
    int doublings = attempt - 1;
    long ceiling =
        doublings >= Long.numberOfLeadingZeros(initial) - 1
            ? max
            : Math.min(max, initial << doublings);
    return (long) (settings.random().nextDouble() * ceiling);
  }

  /**
   * A failure to connect at all: nothing was sent, so even a non-idempotent request may go again.
   */
  private static boolean neverReachedServer(Throwable failure) {
    return failure instanceof ConnectException || failure instanceof HttpConnectTimeoutException;
  }

  private void report(int status, Throwable failure, Verdict verdict) {
    long now = settings.timer().nanoTime();
    AttemptEvent event =
        new AttemptEvent(
            attempt,
            method,
            uri,
            keyHash,
            status,
            failure,
            verdict.decision(),
            Duration.ofNanos(verdict.delayNanos()),
            Duration.ofNanos(now - startNanos));
    try {
      settings.listener().onAttempt(event);
    } catch (Throwable listenerFailure) {
      LOGGER.log(
          Level.WARNING,
          "AttemptListener "
              + settings.listener().getClass().getName()
              + " threw on attempt "
              + attempt
              + " of "
              + method
              + " "
              + uri
              + "; the send goes on. Fix the listener so it does not throw.",
          listenerFailure);
    }
  }

  /** The first 16 hex digits of the SHA-256 of the key: enough to correlate, useless to replay. */
  static String hash(String key) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException impossible) {
      throw new IllegalStateException("SHA-256 is required of every Java platform", impossible);
    }
  }

  /** Nanoseconds, capped at about 73 years so that sums with {@code nanoTime()} cannot wrap. */
  private static long saturatedNanos(Duration duration) {
    long cap = Long.MAX_VALUE / 4;
    try {
      return Math.min(duration.toNanos(), cap);
    } catch (ArithmeticException tooLong) {
      return cap;
    }
  }
}
