package dev.idempotent.testing.behaviour;

import dev.idempotent.Idempotent;
import dev.idempotent.InFlight;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The annotated methods the behaviour suite exercises, one per scenario. Every body counts its runs
 * and returns a value that names the run, so a test can tell a replay from a second execution.
 *
 * <p>Public, not final, with public non-final methods and a public no-argument constructor, so that
 * every adapter can take it: AspectJ weaves it, Guice subclasses it, a proxy calls it. Thread-safe.
 */
public class OperationsFixture implements Operations {
  private final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
  private volatile CountDownLatch entered = new CountDownLatch(0);
  private volatile CountDownLatch release = new CountDownLatch(0);
  private volatile Throwable lastThrown;
  private volatile Operations self = this;

  /** Creates the fixture. */
  public OperationsFixture() {}

  @Override
  @Idempotent(keyExpr = "#id")
  public String charge(String id, int amountCents) {
    return "charged " + id + " " + amountCents + " #" + ran("charge");
  }

  @Override
  @Idempotent
  public String register(String name, String email) {
    return "registered " + name + " <" + email + "> #" + ran("register");
  }

  @Override
  @Idempotent(keyExpr = "#id", ttl = "10m")
  public String shortLived(String id) {
    return "short " + id + " #" + ran("shortLived");
  }

  @Override
  @Idempotent(keyExpr = "#id")
  public String failsOnce(String id) {
    int run = ran("failsOnce");
    if (run == 1) {
      throw thrown(new IllegalStateException("first run of failsOnce(" + id + ") fails"));
    }
    return "succeeded " + id + " #" + run;
  }

  @Override
  @Idempotent(keyExpr = "#id", recordExceptions = Declined.class)
  public String authorize(String id) throws Declined {
    throw thrown(new Declined("card declined for " + id + " #" + ran("authorize")));
  }

  @Override
  @Idempotent(keyExpr = "#id")
  public String read(String id) throws IOException {
    throw thrown(new IOException("disk unreadable for " + id + " #" + ran("read")));
  }

  @Override
  @Idempotent(keyExpr = "#id")
  public String nothing(String id) {
    ran("nothing");
    return null;
  }

  @Override
  @Idempotent(keyExpr = "#id")
  public void fire(String id) {
    ran("fire");
  }

  @Override
  @Idempotent(keyExpr = "#id")
  public Optional<String> find(String id) {
    return Optional.of("found " + id + " #" + ran("find"));
  }

  @Override
  @Idempotent(keyExpr = "#id")
  public Optional<String> findNothing(String id) {
    ran("findNothing");
    return Optional.empty();
  }

  @Override
  @Idempotent(keyExpr = "#id")
  public CompletableFuture<String> chargeAsync(String id) {
    return CompletableFuture.completedFuture("async " + id + " #" + ran("chargeAsync"));
  }

  @Override
  @Idempotent(keyExpr = "#id")
  public CompletionStage<String> chargeStage(String id) {
    return CompletableFuture.completedFuture("stage " + id + " #" + ran("chargeStage"));
  }

  @Override
  @Idempotent(keyExpr = "#id")
  public String slow(String id) {
    int run = ran("slow");
    pass();
    return "slow " + id + " #" + run;
  }

  @Override
  @Idempotent(keyExpr = "#id", onInFlight = InFlight.REJECT)
  public String slowRejecting(String id) {
    int run = ran("slowRejecting");
    pass();
    return "slowRejecting " + id + " #" + run;
  }

  @Override
  @Idempotent(keyExpr = "#p0")
  public long scale(long value, int factor) {
    ran("scale");
    return value * factor;
  }

  @Override
  @Idempotent(keyExpr = "#value")
  public double half(int value) {
    ran("half");
    return value / 2.0;
  }

  @Override
  @Idempotent(keyExpr = "#id")
  public int total(String id, int... amounts) {
    ran("total");
    int sum = 0;
    for (int amount : amounts) {
      sum += amount;
    }
    return sum;
  }

  @Override
  @Idempotent(keyExpr = "#id")
  public <T> T echo(String id, T value) {
    ran("echo");
    return value;
  }

  @Override
  @Idempotent(keyExpr = "#id")
  public String callsItselfOnce(String id) {
    int run = ran("callsItselfOnce");
    if (run > 1) {
      return "nested " + id + " #" + run;
    }
    return "outer " + id + " around " + self.callsItselfOnce(id);
  }

  @Override
  public void callItselfThrough(Operations self) {
    this.self = self;
  }

  @Override
  public void hold(CountDownLatch entered, CountDownLatch release) {
    this.entered = entered;
    this.release = release;
  }

  @Override
  public int runs(String method) {
    AtomicInteger count = runs.get(method);
    return count == null ? 0 : count.get();
  }

  @Override
  public Throwable lastThrown() {
    return lastThrown;
  }

  private int ran(String method) {
    return runs.computeIfAbsent(method, m -> new AtomicInteger()).incrementAndGet();
  }

  private <T extends Throwable> T thrown(T exception) {
    lastThrown = exception;
    return exception;
  }

  private void pass() {
    entered.countDown();
    try {
      if (!release.await(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the test never released the gate within 30 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted at the gate", e);
    }
  }
}
