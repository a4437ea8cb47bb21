package dev.idempotent.benchmarks;

import com.github.benmanes.caffeine.cache.Cache;
import dev.idempotent.IdempotencyEngine;
import dev.idempotent.IdempotentOperation;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The hit path with the request of issue 17: a {@link ChargeRequest}, a record with a nested {@link
 * Customer} record and a {@code BigDecimal}, through a woven method with the payload check off and
 * on, and through the programmatic API with the request as payload; against the lean hand-written
 * lookup written inline, {@code cache.getIfPresent("charge:" + request.id())}. All on the same
 * cycle of {@value #COUNT} requests, each called once in set-up.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class NestedRequestBenchmark {
  static final int COUNT = Keys.COUNT;

  private WovenChargeService woven;
  private IdempotentOperation<Receipt> operation;
  private Cache<String, Receipt> lean;
  private Cycle<ChargeRequest> requests;

  /** Builds the engine and the lean cache and calls each once with every request. */
  @Setup(Level.Trial)
  public void setUp() {
    IdempotencyEngine engine = WovenFixtures.configure(WovenChargeService.class, 1 << 16);
    woven = new WovenChargeService();
    operation = engine.operation("charges.charge", Receipt.class).build();
    lean = HandWrittenCache.newCache(1 << 16);
    ChargeRequest[] all = new ChargeRequest[COUNT];
    for (int i = 0; i < COUNT; i++) {
      ChargeRequest request = ChargeRequest.numbered("charge", i);
      all[i] = request;
      woven.charge(request);
      woven.chargeChecked(request);
      operation.execute(request.id(), request, () -> Receipt.charged(request.id()));
      lean.put("charge:" + request.id(), Receipt.charged(request.id()));
    }
    requests = new Cycle<>(all);
  }

  /** Baseline: the lean hand-written lookup, inline, short string id. */
  @Benchmark
  public Receipt lean() {
    ChargeRequest request = requests.next();
    Receipt seen = lean.getIfPresent("charge:" + request.id());
    if (seen == null) {
      seen = Receipt.charged(request.id());
      lean.put("charge:" + request.id(), seen);
    }
    return seen;
  }

  /** A woven method, payload check off: the key alone decides. */
  @Benchmark
  public Receipt wovenPayloadOff() {
    return woven.charge(requests.next());
  }

  /** A woven method, payload check on (the default): the nested request is fingerprinted. */
  @Benchmark
  public Receipt wovenPayloadOn() {
    return woven.chargeChecked(requests.next());
  }

  /** The programmatic API, {@code execute(key, payload, supplier)} with the request as payload. */
  @Benchmark
  public Receipt programmaticPayloadOn() {
    ChargeRequest request = requests.next();
    return operation.execute(request.id(), request, () -> Receipt.charged(request.id()));
  }
}
