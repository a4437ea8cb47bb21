package dev.idempotent.http.client;

import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.random.RandomGenerator;

/**
 * The settings both builders share: {@link IdempotentHttpClient.Builder} and {@link
 * OkHttpIdempotencyInterceptor.Builder}. Not thread-safe. Each setter rejects null with a {@link
 * NullPointerException} that names it.
 *
 * @param <B> the builder
 * @param <R> the request type the key generator reads
 */
abstract class SettingsBuilder<B extends SettingsBuilder<B, R>, R> {
  private final String name;
  private RetryPolicy policy = RetryPolicy.defaults();
  private RetryTimer timer = RetryTimer.system();
  private RandomGenerator random = () -> ThreadLocalRandom.current().nextLong();
  private AttemptListener listener = AttemptListener.none();
  private Function<? super R, String> keyGenerator = request -> UUID.randomUUID().toString();
  private KeyFormat keyFormat = KeyFormat.STRUCTURED_STRING;

  SettingsBuilder(String name) {
    this.name = name;
  }

  /**
   * Sets the retry policy; {@link RetryPolicy#defaults()} unless set.
   *
   * @param policy the policy
   * @return this builder
   */
  public B retryPolicy(RetryPolicy policy) {
    this.policy = requireSet(policy, "retryPolicy", "RetryPolicy.defaults()");
    return self();
  }

  /**
   * Sets the listener told about every attempt; {@link AttemptListener#none()} unless set.
   *
   * @param listener the listener; a throwing listener is logged and ignored
   * @return this builder
   */
  public B listener(AttemptListener listener) {
    this.listener = requireSet(listener, "listener", "AttemptListener.none()");
    return self();
  }

  /**
   * Sets the clock and the waits; {@link RetryTimer#system()} unless set. Tests pass a timer whose
   * waits return at once.
   *
   * @param timer the timer
   * @return this builder
   */
  public B timer(RetryTimer timer) {
    this.timer = requireSet(timer, "timer", "RetryTimer.system()");
    return self();
  }

  /**
   * Sets the random source of the backoff's jitter; {@link ThreadLocalRandom} unless set. It must
   * be thread-safe when the client is shared; only {@link RandomGenerator#nextDouble()} is called.
   *
   * @param random the random source
   * @return this builder
   */
  public B random(RandomGenerator random) {
    this.random = requireSet(random, "random", "ThreadLocalRandom.current() per call");
    return self();
  }

  /**
   * Sets what makes a key for a request that needs one and carries none; a random UUID unless set.
   * It is called once per logical request, never per retry.
   *
   * @param keyGenerator returns 1 or more printable ASCII characters (no space for {@link
   *     KeyFormat#BARE}); they are quoted and escaped for {@link KeyFormat#STRUCTURED_STRING}
   * @return this builder
   */
  public B keyGenerator(Function<? super R, String> keyGenerator) {
    this.keyGenerator = requireSet(keyGenerator, "keyGenerator", "a random UUID");
    return self();
  }

  /**
   * Sets how generated keys are written into the header; {@link KeyFormat#STRUCTURED_STRING} unless
   * set. A key the request already carries is sent as it is.
   *
   * @param keyFormat the format
   * @return this builder
   */
  public B keyFormat(KeyFormat keyFormat) {
    this.keyFormat = requireSet(keyFormat, "keyFormat", "KeyFormat.STRUCTURED_STRING");
    return self();
  }

  Settings settings() {
    return new Settings(name, policy, timer, random, listener, keyFormat);
  }

  Function<? super R, String> keyGenerator() {
    return keyGenerator;
  }

  @SuppressWarnings("unchecked")
  private B self() {
    return (B) this;
  }

  private <V> V requireSet(V value, String setting, String fallback) {
    return Objects.requireNonNull(
        value,
        () ->
            name
                + "."
                + setting
                + ": null is not allowed; leave it unset for the default ("
                + fallback
                + ")");
  }
}
