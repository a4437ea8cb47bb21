package dev.idempotent.http.client;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Sends requests through a {@link HttpClient} the way a careful client of an idempotent API does:
 * each logical request that needs one gets an {@code Idempotency-Key}, and a failure that is worth
 * retrying is retried with the same key, after a backoff, until it succeeds, turns out not to be
 * retryable, or the policy's attempts or deadline run out.
 *
 * <pre>{@code
 * IdempotentHttpClient client = IdempotentHttpClient.builder(HttpClient.newHttpClient()).build();
 * HttpResponse<String> response = client.send(
 *     HttpRequest.newBuilder(URI.create("https://api.example.com/charges"))
 *         .POST(HttpRequest.BodyPublishers.ofString("{\"amount\":100}"))
 *         .build(),
 *     HttpResponse.BodyHandlers.ofString());
 * }</pre>
 *
 * <p><b>Keys.</b> One call of {@link #send} or {@link #sendAsync} is one logical request. A request
 * whose method is among the policy's {@link RetryPolicy#keyedMethods() keyed methods} (POST and
 * PATCH by default) and that carries no {@code Idempotency-Key} gets one from the key generator (a
 * random UUID by default), written as the builder's {@link KeyFormat} says; every attempt of that
 * call sends the same key. A request that already carries the header keeps it unchanged: set it
 * yourself when the same operation may be sent by several calls (after a restart, from a queue).
 * Two calls with the same {@code HttpRequest} and no header are two logical requests with two keys.
 *
 * <p><b>What is retried.</b> A failure to connect or to get a response ({@link IOException},
 * timeouts included, except {@link javax.net.ssl.SSLHandshakeException}), and the policy's
 * retryable statuses. A request that is neither keyed nor of an idempotent method (RFC 9110: GET,
 * HEAD, OPTIONS, TRACE, PUT, DELETE) is retried only after a failure to connect, since anything
 * later may have run on the server. When the retries run out, {@code send} returns the last
 * response or throws the last exception, with the earlier attempts' exceptions as {@linkplain
 * Throwable#getSuppressed() suppressed} ones. The body of a response that is retried is discarded,
 * never given to the caller's body handler.
 *
 * <p><b>Bodies.</b> Every attempt subscribes to the request's {@link HttpRequest.BodyPublisher}
 * again. The JDK's publishers for strings, byte arrays and files publish their content on every
 * subscription; {@code BodyPublishers.ofInputStream(supplier)} does when the supplier returns a
 * fresh stream each time. A one-shot publisher (a supplier handing out the same, already read
 * stream; a custom publisher that can publish once) sends an empty or truncated body on a retry,
 * which a fingerprinting server refuses with 422 and others may accept: give such requests a
 * re-readable publisher, or a policy with {@code maxAttempts(1)}.
 *
 * <p><b>Deadline.</b> No attempt starts after the policy's deadline, and each attempt's {@link
 * HttpRequest#timeout() timeout} is cut to the time left, so {@code send} returns or throws by the
 * deadline ({@link java.net.http.HttpTimeoutException} if an attempt was cut short). As with the
 * JDK's own timeout, reading a response body once its headers have arrived is not bounded.
 *
 * <p>Thread-safe: one instance serves any number of threads, as the {@link HttpClient} it wraps.
 */
public final class IdempotentHttpClient {
  /** The header's name, as the IETF draft spells it. */
  public static final String IDEMPOTENCY_KEY = "Idempotency-Key";

  private final HttpClient http;
  private final Settings settings;
  private final Function<? super HttpRequest, String> keyGenerator;

  private IdempotentHttpClient(Builder builder) {
    this.http = builder.http;
    this.settings = builder.settings();
    this.keyGenerator = builder.keyGenerator();
  }

  /**
   * A builder for a client that sends through {@code httpClient}.
   *
   * @param httpClient the JDK client that sends every attempt; its settings (connect timeout,
   *     redirects, executor, TLS) apply unchanged
   * @return a new builder with the default policy
   * @throws NullPointerException if {@code httpClient} is null
   */
  public static Builder builder(HttpClient httpClient) {
    return new Builder(
        Objects.requireNonNull(
            httpClient,
            "IdempotentHttpClient.builder(httpClient): httpClient is null; pass the HttpClient"
                + " that should send the requests, e.g. HttpClient.newHttpClient()"));
  }

  /**
   * Sends a request, retrying as the policy says, and blocks until the last attempt's response.
   * Between attempts the calling thread sleeps.
   *
   * @param request the request; its own {@code Idempotency-Key} header, if any, is kept
   * @param responseBodyHandler handles the body of the response that is returned
   * @param <T> the response body type
   * @return the response of the last attempt
   * @throws IOException the last attempt's failure, when it is not retryable or the retries ran out
   * @throws InterruptedException if the thread is interrupted during an attempt or a wait
   * @throws IllegalArgumentException if the request is not valid for the {@link HttpClient}, or the
   *     key generator returned a value that cannot be a header value
   * @see HttpClient#send
   */
  public <T> HttpResponse<T> send(HttpRequest request, BodyHandler<T> responseBodyHandler)
      throws IOException, InterruptedException {
    Objects.requireNonNull(responseBodyHandler, "IdempotentHttpClient.send: body handler is null");
    HttpRequest keyed = withKey(request);
    Attempts attempts = attemptsOf(keyed);
    while (true) {
      HttpResponse<T> response;
      try {
        response = http.send(attempts.next(keyed), attempts.handler(responseBodyHandler));
      } catch (IOException | RuntimeException failure) {
        long delay = attempts.afterFailure(failure);
        if (delay < 0) {
          throw failure;
        }
        pause(delay);
        continue;
      }
      long delay = attempts.afterResponse(response);
      if (delay < 0) {
        return response;
      }
      pause(delay);
    }
  }

  /**
   * Sends a request asynchronously, retrying as the policy says. No thread blocks between attempts:
   * each retry is scheduled on the timer's delayed executor and runs on the wrapped client's
   * executor (or the common pool). Cancelling the returned future cancels the attempt in flight and
   * stops retrying.
   *
   * @param request the request; its own {@code Idempotency-Key} header, if any, is kept
   * @param responseBodyHandler handles the body of the response that is returned
   * @param <T> the response body type
   * @return a future of the last attempt's response; it fails with the last attempt's exception (an
   *     {@link IOException}) when that is not retryable or the retries ran out
   * @throws IllegalArgumentException if the request is not valid for the {@link HttpClient}, or the
   *     key generator returned a value that cannot be a header value
   * @see HttpClient#sendAsync(HttpRequest, BodyHandler)
   */
  public <T> CompletableFuture<HttpResponse<T>> sendAsync(
      HttpRequest request, BodyHandler<T> responseBodyHandler) {
    Objects.requireNonNull(
        responseBodyHandler, "IdempotentHttpClient.sendAsync: body handler is null");
    HttpRequest keyed = withKey(request);
    return new AsyncSend<>(http, settings.timer(), keyed, attemptsOf(keyed), responseBodyHandler)
        .start();
  }

  /**
   * The client every attempt is sent through.
   *
   * @return the wrapped client
   */
  public HttpClient httpClient() {
    return http;
  }

  /**
   * The retry policy.
   *
   * @return the policy
   */
  public RetryPolicy retryPolicy() {
    return settings.policy();
  }

  /** The request every attempt sends: the caller's, with a generated key when it needs one. */
  private HttpRequest withKey(HttpRequest request) {
    Objects.requireNonNull(request, "IdempotentHttpClient: request is null");
    if (request.headers().firstValue(IDEMPOTENCY_KEY).isPresent()
        || !settings.policy().keyedMethods().contains(request.method())) {
      return request;
    }
    String key = settings.headerValue(keyGenerator.apply(request), request.method(), request.uri());
    return HttpRequest.newBuilder(request, (name, value) -> true)
        .header(IDEMPOTENCY_KEY, key)
        .build();
  }

  private Attempts attemptsOf(HttpRequest keyed) {
    return new Attempts(
        settings,
        keyed.method(),
        keyed.uri(),
        keyed.headers().firstValue(IDEMPOTENCY_KEY).orElse(null));
  }

  private void pause(long nanos) throws InterruptedException {
    if (nanos > 0) {
      settings.timer().sleep(nanos);
    }
  }

  /**
   * Builds an {@link IdempotentHttpClient}. Not thread-safe. Each setter rejects null with a {@link
   * NullPointerException} that names it.
   */
  public static final class Builder extends SettingsBuilder<Builder, HttpRequest> {
    private final HttpClient http;

    private Builder(HttpClient http) {
      super("IdempotentHttpClient.Builder");
      this.http = http;
    }

    /**
     * Builds the client.
     *
     * @return a thread-safe client
     */
    public IdempotentHttpClient build() {
      return new IdempotentHttpClient(this);
    }
  }
}
