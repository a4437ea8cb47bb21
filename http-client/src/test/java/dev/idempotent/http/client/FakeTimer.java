package dev.idempotent.http.client;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;

/**
 * A timer whose waits return at once and move its clock instead, recording each wait. With {@link
 * #holdDelayedTasks()}, a delayed task waits until the test runs it.
 */
final class FakeTimer implements RetryTimer {
  static final Instant EPOCH = Instant.parse("2026-11-30T09:00:00Z");

  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  private final List<Duration> sleeps = new CopyOnWriteArrayList<>();
  private final List<Duration> delays = new CopyOnWriteArrayList<>();
  private final List<Executor> executors = new CopyOnWriteArrayList<>();
  private volatile boolean hold;
  private final CompletableFuture<Runnable> held = new CompletableFuture<>();

  /** A random source whose {@code nextDouble()} is always {@code value}. */
  static RandomGenerator fixedRandom(double value) {
    return new RandomGenerator() {
      @Override
      public long nextLong() {
        throw new UnsupportedOperationException("the client uses nextDouble() only");
      }

      @Override
      public double nextDouble() {
        return value;
      }
    };
  }

  FakeTimer holdDelayedTasks() {
    hold = true;
    return this;
  }

  /** Completes with the first delayed task once the client schedules it. */
  CompletableFuture<Runnable> heldTask() {
    return held;
  }

  List<Duration> sleeps() {
    return List.copyOf(sleeps);
  }

  List<Duration> delays() {
    return List.copyOf(delays);
  }

  /** The executors the delayed tasks were to run on, in order. */
  List<Executor> executors() {
    return List.copyOf(executors);
  }

  /** Every wait, blocking or delayed, in order. */
  List<Duration> waits() {
    return sleeps.isEmpty() ? delays() : sleeps();
  }

  void advance(Duration duration) {
    nanos.addAndGet(duration.toNanos());
  }

  @Override
  public long nanoTime() {
    return nanos.get();
  }

  @Override
  public Instant now() {
    return EPOCH.plusNanos(nanos.get());
  }

  @Override
  public void sleep(long nanos) {
    sleeps.add(Duration.ofNanos(nanos));
    this.nanos.addAndGet(nanos);
  }

  @Override
  public Executor delayedExecutor(long nanos, Executor executor) {
    executors.add(executor);
    return task -> {
      delays.add(Duration.ofNanos(nanos));
      this.nanos.addAndGet(nanos);
      if (hold) {
        held.complete(() -> executor.execute(task));
      } else {
        executor.execute(task);
      }
    };
  }
}
