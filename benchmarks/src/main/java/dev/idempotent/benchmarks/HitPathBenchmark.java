package dev.idempotent.benchmarks;

import com.github.benmanes.caffeine.cache.Cache;
import dev.idempotent.IdempotencyEngine;
import dev.idempotent.IdempotentOperation;
import dev.idempotent.aspectj.IdempotentAspect;
import dev.idempotent.store.CaffeineIdempotencyStore;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;

/**
 * The hit path: a duplicate call short-circuited with the first call's outcome, through each entry
 * point of the engine (a method woven by ajc with {@code idempotent-aspectj}, a Guice-created
 * instance intercepted by {@code IdempotencyModule}, a Spring bean proxied by the starter's
 * advisor, the programmatic API) and through the baselines (the hand-written Caffeine lookup in a
 * class of its own and the lean one inline, Spring {@code @Cacheable}), all on the same cycle of
 * {@value Keys#COUNT} primed keys and one engine.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class HitPathBenchmark {
  private IdempotencyEngine engine;
  private IdempotentOperation<Receipt> operation;
  private IdempotentOperation<Receipt> checkedOperation;
  private WovenOrderService woven;
  private GuiceOrderService intercepted;
  private HandWrittenCache handWritten;
  private Cache<String, Receipt> lean;
  private AnnotationConfigApplicationContext spring;
  private SpringCaching.SpringOrderService springService;
  private AnnotationConfigApplicationContext springProxies;
  private SpringProxying.SpringIdempotentOrderService proxied;
  private Keys keys;

  /** Builds the engine and the baselines and calls each once with every key. */
  @Setup(Level.Trial)
  public void setUp() {
    engine =
        IdempotencyEngine.builder()
            .store(CaffeineIdempotencyStore.builder().maximumSize(1 << 16).build())
            .build();
    WovenOrderService.requireWoven();
    IdempotentAspect.configure(engine);
    woven = new WovenOrderService();
    intercepted = GuiceOrderService.create(engine);
    operation = engine.operation("orders.place", Receipt.class).build();
    checkedOperation = engine.operation("orders.placeChecked", Receipt.class).build();
    handWritten = new HandWrittenCache(1 << 16);
    lean = HandWrittenCache.newCache(1 << 16);
    spring = SpringCaching.start();
    springService = spring.getBean(SpringCaching.SpringOrderService.class);
    springProxies = SpringProxying.start(engine);
    proxied = springProxies.getBean(SpringProxying.SpringIdempotentOrderService.class);
    keys = new Keys("order");
    for (PlaceOrder cmd : keys.all()) {
      woven.place(cmd);
      woven.placeChecked(cmd);
      intercepted.place(cmd);
      intercepted.placeChecked(cmd);
      operation.execute(cmd.id(), () -> Receipt.accept(cmd));
      checkedOperation.execute(cmd.id(), cmd, () -> Receipt.accept(cmd));
      handWritten.place(cmd);
      lean.put("orders.place:" + cmd.id(), Receipt.accept(cmd));
      springService.place(cmd);
      proxied.place(cmd);
      proxied.placeChecked(cmd);
    }
  }

  /** Closes the Spring contexts. */
  @TearDown(Level.Trial)
  public void tearDown() {
    spring.close();
    springProxies.close();
  }

  /** Baseline: hand-written Caffeine lookup, key by concatenation, {@code getIfPresent}. */
  @Benchmark
  public Object baselineCaffeine() {
    return handWritten.place(keys.next());
  }

  /**
   * Baseline: the leaner hand-written lookup of issue 17, written inline here rather than in a
   * class of its own: {@code getIfPresent("orders.place:" + id)}, the body and {@code put} on a
   * miss.
   */
  @Benchmark
  public Receipt baselineLean() {
    PlaceOrder cmd = keys.next();
    Receipt seen = lean.getIfPresent("orders.place:" + cmd.id());
    if (seen == null) {
      seen = Receipt.accept(cmd);
      lean.put("orders.place:" + cmd.id(), seen);
    }
    return seen;
  }

  /** Baseline: Spring {@code @Cacheable} over {@code CaffeineCacheManager}, a proxied bean. */
  @Benchmark
  public Object baselineSpringCacheable() {
    return springService.place(keys.next());
  }

  /** A woven {@code @Idempotent} method, payload check off. */
  @Benchmark
  public Object wovenPayloadOff() {
    return woven.place(keys.next());
  }

  /** A woven {@code @Idempotent} method, payload check on. */
  @Benchmark
  public Object wovenPayloadOn() {
    return woven.placeChecked(keys.next());
  }

  /** A Guice-created instance, intercepted by {@code IdempotencyModule}, payload check off. */
  @Benchmark
  public Object interceptedPayloadOff() {
    return intercepted.place(keys.next());
  }

  /** A Guice-created instance, intercepted by {@code IdempotencyModule}, payload check on. */
  @Benchmark
  public Object interceptedPayloadOn() {
    return intercepted.placeChecked(keys.next());
  }

  /**
   * A Spring bean proxied by idempotent-spring-boot-starter's advisor (CGLIB, as {@code @Cacheable}
   * is), payload check off.
   */
  @Benchmark
  public Object springProxyPayloadOff() {
    return proxied.place(keys.next());
  }

  /** A Spring bean proxied by idempotent-spring-boot-starter's advisor, payload check on. */
  @Benchmark
  public Object springProxyPayloadOn() {
    return proxied.placeChecked(keys.next());
  }

  /** The programmatic API: {@code execute(key, supplier)}, no payload. */
  @Benchmark
  public Object programmaticPayloadOff() {
    PlaceOrder cmd = keys.next();
    return operation.execute(cmd.id(), () -> Receipt.accept(cmd));
  }

  /** The programmatic API: {@code execute(key, payload, supplier)}, payload fingerprinted. */
  @Benchmark
  public Object programmaticPayloadOn() {
    PlaceOrder cmd = keys.next();
    return checkedOperation.execute(cmd.id(), cmd, () -> Receipt.accept(cmd));
  }
}
