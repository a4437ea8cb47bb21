package dev.idempotent.http.client;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * The time source and the waiting of an {@link IdempotentHttpClient}: a monotonic clock for the
 * deadline, a wall clock for {@code Retry-After} dates, a blocking sleep for {@code send} and a
 * delayed executor for {@code sendAsync}. The client never reads the time or waits any other way,
 * so a test can supply a timer whose waits return at once and whose clock it moves.
 *
 * <p>Implementations must be thread-safe.
 */
public interface RetryTimer {
  /**
   * Reads a monotonic clock, as {@link System#nanoTime()} does.
   *
   * @return nanoseconds from an arbitrary origin
   */
  long nanoTime();

  /**
   * Reads the wall clock, to turn a {@code Retry-After} HTTP-date into a wait.
   *
   * @return the current instant
   */
  Instant now();

  /**
   * Blocks the calling thread for the given time ({@code send} between attempts).
   *
   * @param nanos how long to wait; positive
   * @throws InterruptedException if the thread is interrupted while it waits
   */
  void sleep(long nanos) throws InterruptedException;

  /**
   * An executor that runs each task on {@code executor} once the given time has passed, without
   * blocking a thread meanwhile ({@code sendAsync} between attempts).
   *
   * @param nanos how long to wait; positive
   * @param executor where the task runs after the wait
   * @return a delayed executor
   */
  Executor delayedExecutor(long nanos, Executor executor);

  /**
   * The system timer: {@link System#nanoTime()}, {@link Instant#now()}, {@link Thread#sleep} and
   * {@link CompletableFuture#delayedExecutor}.
   *
   * @return the system timer
   */
  static RetryTimer system() {
    return SystemRetryTimer.INSTANCE;
  }
}
