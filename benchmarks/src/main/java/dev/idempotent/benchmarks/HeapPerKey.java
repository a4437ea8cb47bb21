package dev.idempotent.benchmarks;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.idempotent.IdempotencyEngine;
import dev.idempotent.PendingCall;
import dev.idempotent.store.CaffeineIdempotencyStore;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Locale;

/**
 * Measures the heap one live key costs, beyond its result: fills a store with {@code n} completed
 * records and divides the growth of the GC-settled heap by {@code n}. Run it in its own JVM with a
 * fixed heap and the serial collector, whose full collections compact, so that "used" after them is
 * the live set: {@code java -XX:+UseSerialGC -Xms3g -Xmx3g -cp benchmarks.jar
 * dev.idempotent.benchmarks.HeapPerKey 1000000 engine.payloadOff}. Measure one figure per JVM: a
 * store measured before can stay reachable for a while from an idle thread's frame (the lease
 * keeper's), which would hide part of the next figure.
 *
 * <p>The results are built before the first reading and held to the end, so they are not counted.
 * Each key's command is built and dropped, so the key text (14 characters) is counted, as it is
 * retained by the store and nothing else. Prints one {@code name=value} line per figure.
 */
public final class HeapPerKey {
  private static final String ID_PREFIX = "order-";
  private static final int ID_BASE = 10_000_000;

  private HeapPerKey() {}

  /**
   * Runs the measurement.
   *
   * @param args the number of keys, default 1,000,000; then the figure ({@code engine.payloadOff},
   *     {@code engine.payloadOn}, {@code handWrittenCaffeine} with the key {@code "orders.place:" +
   *     id}, {@code handWrittenCaffeine.sameKeyText} with the bare id, the text the engine keeps),
   *     default all four
   */
  public static void main(String[] args) throws Throwable {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    String figure = args.length > 1 ? args[1] : "all";
    Receipt[] results = new Receipt[n];
    for (int i = 0; i < n; i++) {
      results[i] = new Receipt("r", "ACCEPTED");
    }
    report("keys", n);
    report("keyTextBytes", stringBytes(ID_PREFIX.length() + Integer.toString(ID_BASE).length()));
    if (figure.equals("all") || figure.equals("engine.payloadOff")) {
      report("engine.payloadOff", engine(results, OrderService.PLACE));
    }
    if (figure.equals("all") || figure.equals("engine.payloadOn")) {
      report("engine.payloadOn", engine(results, OrderService.PLACE_CHECKED));
    }
    if (figure.equals("all") || figure.equals("handWrittenCaffeine")) {
      report("handWrittenCaffeine", handWritten(results, "orders.place:" + ID_PREFIX));
    }
    if (figure.equals("all") || figure.equals("handWrittenCaffeine.sameKeyText")) {
      report("handWrittenCaffeine.sameKeyText", handWritten(results, ID_PREFIX));
    }
  }

  /** The retained size of a Latin-1 String of {@code length} characters, compressed oops. */
  static long stringBytes(int length) {
    long array = align(16 + length);
    return 24 + array;
  }

  private static long align(long bytes) {
    return (bytes + 7) & ~7L;
  }

  private static double engine(Receipt[] results, Method method) throws Throwable {
    int n = results.length;
    long before = settledUsed();
    CaffeineIdempotencyStore store =
        CaffeineIdempotencyStore.builder().maximumSize(n).executor(Runnable::run).build();
    IdempotencyEngine engine = IdempotencyEngine.builder().store(store).build();
    for (int i = 0; i < n; i++) {
      Receipt result = results[i];
      PlaceOrder cmd = PlaceOrder.withId(ID_PREFIX + (ID_BASE + i));
      Object started = engine.begin(method, new Object[] {cmd});
      ((PendingCall) started).succeeded(result);
    }
    long after = settledUsed();
    if (store.estimatedSize() != n) {
      throw new IllegalStateException("expected " + n + " records, found " + store.estimatedSize());
    }
    double perKey = (after - before) / (double) n;
    reachable(engine);
    return perKey;
  }

  /** A hand-written cache of {@code results} under the keys {@code prefix + number}. */
  private static double handWritten(Receipt[] results, String prefix) {
    int n = results.length;
    long before = settledUsed();
    Cache<String, Receipt> cache =
        Caffeine.newBuilder()
            .expireAfterWrite(Duration.ofHours(24))
            .maximumSize(n)
            .executor(Runnable::run)
            .build();
    for (int i = 0; i < n; i++) {
      cache.put(prefix + (ID_BASE + i), results[i]);
    }
    long after = settledUsed();
    if (cache.estimatedSize() != n) {
      throw new IllegalStateException("expected " + n + " entries, found " + cache.estimatedSize());
    }
    double perKey = (after - before) / (double) n;
    reachable(cache);
    return perKey;
  }

  /** Keeps {@code o} reachable up to here, so the reading before this call counts it. */
  private static void reachable(Object o) {
    if (o.hashCode() == 42 && System.nanoTime() == 0) {
      System.out.println(o);
    }
  }

  /** Used heap after full collections, once two readings in a row agree within 1 KB. */
  static long settledUsed() {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long previous = Long.MAX_VALUE;
    for (int i = 0; i < 20; i++) {
      System.gc();
      long used = memory.getHeapMemoryUsage().getUsed();
      if (Math.abs(previous - used) < 1024) {
        return used;
      }
      previous = used;
    }
    return previous;
  }

  private static void report(String name, double value) {
    System.out.println(name + "=" + String.format(Locale.ROOT, "%.1f", value));
  }
}
