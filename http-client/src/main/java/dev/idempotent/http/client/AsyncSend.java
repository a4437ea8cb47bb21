package dev.idempotent.http.client;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;

/**
 * One logical request sent with {@code sendAsync}: each attempt is the JDK client's own {@code
 * sendAsync}, and the wait between attempts is a delayed executor, so no thread blocks. Cancelling
 * the returned future cancels the attempt in flight and stops the retries.
 */
final class AsyncSend<T> {
  private final HttpClient http;
  private final RetryTimer timer;
  private final HttpRequest request;
  private final Attempts attempts;
  private final BodyHandler<T> handler;
  private final Executor executor;
  private final CompletableFuture<HttpResponse<T>> result = new CompletableFuture<>();
  private volatile CompletableFuture<HttpResponse<T>> inFlight;

  AsyncSend(
      HttpClient http,
      RetryTimer timer,
      HttpRequest request,
      Attempts attempts,
      BodyHandler<T> handler) {
    this.http = http;
    this.timer = timer;
    this.request = request;
    this.attempts = attempts;
    this.handler = handler;
    this.executor = http.executor().orElse(ForkJoinPool.commonPool());
  }

  CompletableFuture<HttpResponse<T>> start() {
    result.whenComplete(
        (response, failure) -> {
          CompletableFuture<HttpResponse<T>> attempt = inFlight;
          if (result.isCancelled() && attempt != null) {
            attempt.cancel(true);
          }
        });
    attempt(true);
    return result;
  }

  private void attempt() {
    attempt(false);
  }

  /**
   * Starts an attempt. A request the JDK client refuses outright is thrown to the caller of {@code
   * sendAsync} on the first attempt, as {@code HttpClient.sendAsync} throws it.
   */
  private void attempt(boolean first) {
    if (result.isDone()) {
      return;
    }
    CompletableFuture<HttpResponse<T>> attempt;
    try {
      attempt = http.sendAsync(attempts.next(request), attempts.handler(handler));
    } catch (RuntimeException cannotSend) {
      // reported like the blocking path reports it; a RuntimeException is never retried
      attempts.afterFailure(cannotSend);
      if (first) {
        throw cannotSend;
      }
      result.completeExceptionally(cannotSend);
      return;
    }
    inFlight = attempt;
    if (result.isCancelled()) {
      attempt.cancel(true);
      return;
    }
    attempt.whenComplete(this::finished);
  }

  private void finished(HttpResponse<T> response, Throwable error) {
    if (result.isDone()) {
      return;
    }
    long delay;
    if (error == null) {
      delay = attempts.afterResponse(response);
      if (delay < 0) {
        result.complete(response);
        return;
      }
    } else {
      Throwable failure = unwrap(error);
      delay = attempts.afterFailure(failure);
      if (delay < 0) {
        result.completeExceptionally(failure);
        return;
      }
    }
    try {
      timer.delayedExecutor(delay, executor).execute(this::attempt);
    } catch (RuntimeException cannotSchedule) {
      result.completeExceptionally(cannotSchedule);
    }
  }

  private static Throwable unwrap(Throwable error) {
    Throwable failure = error;
    while ((failure instanceof CompletionException || failure instanceof ExecutionException)
        && failure.getCause() != null) {
      failure = failure.getCause();
    }
    return failure;
  }
}
