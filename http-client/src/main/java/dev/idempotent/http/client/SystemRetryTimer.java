package dev.idempotent.http.client;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/** {@link RetryTimer#system()}. */
enum SystemRetryTimer implements RetryTimer {
  INSTANCE;

  @Override
  public long nanoTime() {
    return System.nanoTime();
  }

  @Override
  public Instant now() {
    return Instant.now();
  }

  @Override
  public void sleep(long nanos) throws InterruptedException {
    TimeUnit.NANOSECONDS.sleep(nanos);
  }

  @Override
  public Executor delayedExecutor(long nanos, Executor executor) {
    return CompletableFuture.delayedExecutor(nanos, TimeUnit.NANOSECONDS, executor);
  }
}
