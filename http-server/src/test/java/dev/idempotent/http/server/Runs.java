package dev.idempotent.http.server;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the application behind an adapter did: how often each path's handler ran, and the latches of
 * the {@code /slow} handler, which signals {@link #started} and waits for {@link #release}.
 */
final class Runs {
  private final ConcurrentHashMap<String, AtomicInteger> runs = new ConcurrentHashMap<>();
  private final AtomicInteger total = new AtomicInteger();
  final CountDownLatch started = new CountDownLatch(1);
  final CountDownLatch release = new CountDownLatch(1);

  /** Counts a run of {@code path} and returns its number, from 1. */
  int run(String path) {
    total.incrementAndGet();
    return runs.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
  }

  /** How many times the handler of {@code path} ran. */
  int of(String path) {
    AtomicInteger n = runs.get(path);
    return n == null ? 0 : n.get();
  }

  /** How many times any handler ran. */
  int total() {
    return total.get();
  }

  /** Called by the /slow handler: signals that it runs, then waits until the test releases it. */
  void holdSlow() {
    started.countDown();
    try {
      if (!release.await(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the test never released /slow");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The JSON body of a charge. */
  static String charge(int run, int received) {
    return "{\"id\":\"ch_"
        + run
        + "\",\"received\":"
        + received
        + ",\"at\":"
        + System.nanoTime()
        + "}";
  }
}
