/**
 * The client side of the {@code Idempotency-Key} header: {@link
 * dev.idempotent.http.client.IdempotentHttpClient} wraps the JDK's {@link
 * java.net.http.HttpClient}, adds a key per logical request, and retries what is retryable with the
 * same key, under a {@link dev.idempotent.http.client.RetryPolicy}. {@link
 * dev.idempotent.http.client.AttemptListener} hears about every attempt; {@link
 * dev.idempotent.http.client.RetryTimer} is the one source of time and waiting.
 */
package dev.idempotent.http.client;
