package dev.idempotent.http.client;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * The policy of {@link IdempotentHttpClient} for OkHttp: an application interceptor that adds an
 * {@code Idempotency-Key} per call that needs one, and retries what is retryable with the same key,
 * the same backoff, {@code Retry-After} handling, maximum attempts and deadline, reporting every
 * attempt to the same {@link AttemptListener}.
 *
 * <pre>{@code
 * OkHttpClient okHttp = new OkHttpClient.Builder()
 *     .addInterceptor(OkHttpIdempotencyInterceptor.builder().retryPolicy(policy).build())
 *     .build();
 * }</pre>
 *
 * <p>Install it with {@code addInterceptor}, not {@code addNetworkInterceptor}: only application
 * interceptors may send a request more than once. One OkHttp {@code Call} is one logical request. A
 * request whose body {@linkplain RequestBody#isOneShot() is one-shot} gets its key but is sent
 * once: its body cannot be written again. Each attempt's connect, read and write timeouts are cut
 * to the time left before the deadline (OkHttp has no per-attempt total timeout). A retried
 * response is closed before the next attempt; the response that is returned is the caller's to
 * close. OkHttp's own {@code retryOnConnectionFailure} works below this interceptor as configured.
 * Waits between attempts block the calling thread, for {@code Call.execute()} and {@code
 * Call.enqueue()} alike, as OkHttp's interceptors always do.
 *
 * <p>Thread-safe: one instance serves every call of an {@code OkHttpClient}.
 */
public final class OkHttpIdempotencyInterceptor implements Interceptor {
  private final Settings settings;
  private final Function<? super Request, String> keyGenerator;

  private OkHttpIdempotencyInterceptor(Builder builder) {
    this.settings = builder.settings();
    this.keyGenerator = builder.keyGenerator();
  }

  /**
   * An interceptor with the default policy, random UUID keys and no listener.
   *
   * @return a new interceptor
   */
  public static OkHttpIdempotencyInterceptor create() {
    return builder().build();
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
   * The retry policy.
   *
   * @return the policy
   */
  public RetryPolicy retryPolicy() {
    return settings.policy();
  }

  /**
   * Sends the chain's request, retrying as the policy says.
   *
   * @param chain the chain
   * @return the last attempt's response
   * @throws IOException the last attempt's failure, when it is not retryable or the retries ran
   *     out; an {@link InterruptedIOException} when the thread is interrupted during a wait
   * @throws IllegalStateException when installed as a network interceptor
   */
  @Override
  public Response intercept(Chain chain) throws IOException {
    if (chain.connection() != null) {
      throw new IllegalStateException(
          "OkHttpIdempotencyInterceptor is installed as a network interceptor, where a request"
              + " cannot be sent twice; install it with OkHttpClient.Builder.addInterceptor"
              + " instead of addNetworkInterceptor");
    }
    Request request = withKey(chain.request());
    RequestBody body = request.body();
    if (body != null && body.isOneShot()) {
      return chain.proceed(request);
    }
    Attempts attempts =
        new Attempts(
            settings,
            request.method(),
            request.url().uri(),
            request.header(IdempotentHttpClient.IDEMPOTENCY_KEY));
    while (true) {
      attempts.begin();
      Chain timed = withinDeadline(chain, attempts.timeLeft().toMillis());
      Response response;
      try {
        response = timed.proceed(request);
      } catch (IOException | RuntimeException failure) {
        long delay = chain.call().isCanceled() ? -1 : attempts.afterFailure(failure);
        if (delay < 0) {
          throw failure;
        }
        pause(delay);
        continue;
      }
      long delay = attempts.afterResponse(response.code(), response.header("Retry-After"));
      if (delay < 0) {
        return response;
      }
      response.close();
      pause(delay);
    }
  }

  private Request withKey(Request request) {
    if (request.header(IdempotentHttpClient.IDEMPOTENCY_KEY) != null
        || !settings.policy().keyedMethods().contains(request.method())) {
      return request;
    }
    String key =
        settings.headerValue(keyGenerator.apply(request), request.method(), request.url().uri());
    return request.newBuilder().header(IdempotentHttpClient.IDEMPOTENCY_KEY, key).build();
  }

  private static Chain withinDeadline(Chain chain, long leftMillis) {
    int left = (int) Math.max(1, Math.min(Integer.MAX_VALUE, leftMillis));
    return chain
        .withConnectTimeout(cut(chain.connectTimeoutMillis(), left), TimeUnit.MILLISECONDS)
        .withReadTimeout(cut(chain.readTimeoutMillis(), left), TimeUnit.MILLISECONDS)
        .withWriteTimeout(cut(chain.writeTimeoutMillis(), left), TimeUnit.MILLISECONDS);
  }

  /** OkHttp's 0 means no timeout. */
  private static int cut(int configured, int left) {
    return configured == 0 ? left : Math.min(configured, left);
  }

  private void pause(long nanos) throws InterruptedIOException {
    if (nanos <= 0) {
      return;
    }
    try {
      settings.timer().sleep(nanos);
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
      InterruptedIOException thrown =
          new InterruptedIOException(
              "OkHttpIdempotencyInterceptor: interrupted while waiting to retry");
      thrown.initCause(interrupted);
      throw thrown;
    }
  }

  /**
   * Builds an {@link OkHttpIdempotencyInterceptor}. Not thread-safe. Each setter rejects null with
   * a {@link NullPointerException} that names it.
   */
  public static final class Builder extends SettingsBuilder<Builder, Request> {
    private Builder() {
      super("OkHttpIdempotencyInterceptor.Builder");
    }

    /**
     * Builds the interceptor.
     *
     * @return a thread-safe interceptor
     */
    public OkHttpIdempotencyInterceptor build() {
      return new OkHttpIdempotencyInterceptor(this);
    }
  }
}
