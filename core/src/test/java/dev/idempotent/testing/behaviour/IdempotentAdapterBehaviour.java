package dev.idempotent.testing.behaviour;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.idempotent.IdempotencyDefinitionException;
import dev.idempotent.IdempotencyEngine;
import dev.idempotent.IdempotencyInProgressException;
import dev.idempotent.IdempotencyKeyReuseException;
import dev.idempotent.testing.FakeTicker;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The behaviour every adapter of {@code @Idempotent} shows, run through the adapter: an adapter's
 * test class extends it and says how to reach the fixtures through that adapter.
 *
 * <pre>{@code
 * class GuiceBehaviourTest extends IdempotentAdapterBehaviour {
 *   protected <T> T protect(IdempotencyEngine engine, Class<T> api, Class<? extends T> impl) {
 *     return Guice.createInjector(new IdempotencyModule(engine), b -> b.bind(impl)).getInstance(impl);
 *   }
 *   ...
 * }
 * }</pre>
 *
 * <p>Each test gets a fresh engine on a {@link FakeTicker}, so ttls pass without sleeping; the
 * concurrency tests use real threads. The fixtures ({@link OperationsFixture}, {@link
 * MisdefinedFixture}, {@link StaticFixture}) live in this package of core's test-jar, so every
 * adapter runs the very same annotated methods.
 */
public abstract class IdempotentAdapterBehaviour {
  private static final int THREADS = 64;

  /** The time source of {@link #engine}; advance it to let ttls pass. */
  protected FakeTicker ticker;

  /** The engine of the current test, on {@link #ticker}. */
  protected IdempotencyEngine engine;

  private ExecutorService pool;

  /**
   * An instance of {@code implementation} whose {@code @Idempotent} methods run through the adapter
   * under test with {@code engine}, seen through its interface {@code api}.
   *
   * @param engine the engine the adapter must use
   * @param api the interface the suite calls
   * @param implementation the fixture class that carries the annotations
   */
  protected abstract <T> T protect(
      IdempotencyEngine engine, Class<T> api, Class<? extends T> implementation);

  /**
   * Calls the static {@code @Idempotent} method through the adapter with {@code engine} and returns
   * its result or throws what it threw, unwrapped. An adapter that cannot protect static methods
   * aborts the test with {@link org.junit.jupiter.api.Assumptions#abort(String)}.
   */
  protected abstract Object callStatic(IdempotencyEngine engine, Method method, Object... args)
      throws Throwable;

  /**
   * Asserts that the adapter reports the wrong annotation of {@code method} of {@link
   * MisdefinedFixture} as an {@link IdempotencyDefinitionException} and returns it. By default the
   * call itself must throw it, unwrapped; an adapter that checks annotations before any call (at
   * start-up) overrides this to find it where it reports it.
   *
   * @param engine the engine the adapter must use
   * @param method the name of the misdefined method
   * @param call calls the method
   */
  protected IdempotencyDefinitionException expectDefinitionError(
      IdempotencyEngine engine, String method, Function<MisdefinedOperations, ?> call) {
    MisdefinedOperations operations =
        protect(engine, MisdefinedOperations.class, MisdefinedFixture.class);
    Throwable thrown = assertThrows(Throwable.class, () -> call.apply(operations));
    assertEquals(
        IdempotencyDefinitionException.class,
        thrown.getClass(),
        () -> "the definition error reached the caller wrapped or replaced: " + thrown);
    assertEquals(0, operations.runs(), "a misdefined method's body ran");
    return (IdempotencyDefinitionException) thrown;
  }

  @BeforeEach
  void newEngine() {
    ticker = new FakeTicker();
    engine = IdempotencyEngine.builder().ticker(ticker).build();
  }

  @AfterEach
  void stopThreads() {
    if (pool != null) {
      pool.shutdownNow();
    }
  }

  private Operations operations() {
    return protect(engine, Operations.class, OperationsFixture.class);
  }

  @Test
  void duplicateShortCircuitsAndGetsTheFirstResult() {
    Operations ops = operations();
    String first = ops.charge("order-1", 100);
    String second = ops.charge("order-1", 100);
    assertEquals(first, second);
    assertEquals(1, ops.runs("charge"));
  }

  @Test
  void differentKeysRunSeparately() {
    Operations ops = operations();
    String a = ops.charge("order-a", 100);
    String b = ops.charge("order-b", 100);
    assertNotEquals(a, b);
    assertEquals(2, ops.runs("charge"));
  }

  @Test
  void withoutKeyExpressionTheArgumentsAreTheKey() {
    Operations ops = operations();
    String first = ops.register("ada", "ada@example.com");
    assertEquals(first, ops.register("ada", "ada@example.com"));
    assertNotEquals(first, ops.register("ada", "ada@example.org"));
    assertEquals(2, ops.runs("register"));
  }

  @Test
  void completedOutcomeIsReplayedUntilItsTtlEndsThenRunsAgain() {
    Operations ops = operations();
    String first = ops.shortLived("ttl-1");
    ticker.advance(Duration.ofMinutes(9));
    assertEquals(first, ops.shortLived("ttl-1"));
    assertEquals(1, ops.runs("shortLived"));
    ticker.advance(Duration.ofMinutes(2));
    assertNotEquals(first, ops.shortLived("ttl-1"));
    assertEquals(2, ops.runs("shortLived"));
  }

  @Test
  void unrecordedExceptionPropagatesUnchangedAndReleasesTheKey() {
    Operations ops = operations();
    IllegalStateException failure =
        assertThrows(IllegalStateException.class, () -> ops.failsOnce("retry-1"));
    assertSame(ops.lastThrown(), failure);
    String retried = ops.failsOnce("retry-1");
    assertEquals(retried, ops.failsOnce("retry-1"));
    assertEquals(2, ops.runs("failsOnce"));
  }

  @Test
  void recordedCheckedExceptionIsReplayedWithItsTypeAndMessage() {
    Operations ops = operations();
    Declined first = assertThrows(Declined.class, () -> ops.authorize("card-1"));
    assertSame(ops.lastThrown(), first);
    Declined replayed = assertThrows(Declined.class, () -> ops.authorize("card-1"));
    assertEquals(Declined.class, replayed.getClass());
    assertEquals(first.getMessage(), replayed.getMessage());
    assertEquals(1, ops.runs("authorize"));
  }

  @Test
  void checkedExceptionPropagatesUnchangedAndIsNotRecorded() {
    Operations ops = operations();
    IOException first = assertThrows(IOException.class, () -> ops.read("file-1"));
    assertSame(ops.lastThrown(), first);
    IOException second = assertThrows(IOException.class, () -> ops.read("file-1"));
    assertSame(ops.lastThrown(), second);
    assertEquals(2, ops.runs("read"));
  }

  @Test
  void nullResultIsRecordedAndReplayed() {
    Operations ops = operations();
    assertNull(ops.nothing("null-1"));
    assertNull(ops.nothing("null-1"));
    assertEquals(1, ops.runs("nothing"));
  }

  @Test
  void voidMethodRunsOnce() {
    Operations ops = operations();
    ops.fire("void-1");
    ops.fire("void-1");
    assertEquals(1, ops.runs("fire"));
  }

  @Test
  void optionalResultIsReplayed() {
    Operations ops = operations();
    Optional<String> first = ops.find("opt-1");
    assertTrue(first.isPresent());
    assertEquals(first, ops.find("opt-1"));
    assertEquals(1, ops.runs("find"));
    assertEquals(Optional.empty(), ops.findNothing("opt-2"));
    assertEquals(Optional.empty(), ops.findNothing("opt-2"));
    assertEquals(1, ops.runs("findNothing"));
  }

  @Test
  void completableFutureResultIsReplayed() throws Exception {
    Operations ops = operations();
    String first = ops.chargeAsync("async-1").get(30, TimeUnit.SECONDS);
    CompletableFuture<String> replayed = ops.chargeAsync("async-1");
    assertEquals(first, replayed.get(30, TimeUnit.SECONDS));
    assertEquals(1, ops.runs("chargeAsync"));
  }

  @Test
  void completionStageResultIsReplayed() throws Exception {
    Operations ops = operations();
    String first = ops.chargeStage("stage-1").toCompletableFuture().get(30, TimeUnit.SECONDS);
    String second = ops.chargeStage("stage-1").toCompletableFuture().get(30, TimeUnit.SECONDS);
    assertEquals(first, second);
    assertEquals(1, ops.runs("chargeStage"));
  }

  @Test
  @Timeout(120)
  void concurrentDuplicatesWaitAndAllGetTheOneResult() throws Exception {
    Operations ops = operations();
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    ops.hold(entered, release);
    CountDownLatch ready = new CountDownLatch(THREADS);
    CountDownLatch go = new CountDownLatch(1);
    pool = Executors.newFixedThreadPool(THREADS);
    List<Future<String>> calls = new ArrayList<>();
    for (int i = 0; i < THREADS; i++) {
      calls.add(
          pool.submit(
              () -> {
                ready.countDown();
                go.await();
                return ops.slow("same-key");
              }));
    }
    assertTrue(ready.await(30, TimeUnit.SECONDS), "threads did not start");
    go.countDown();
    assertTrue(entered.await(30, TimeUnit.SECONDS), "no call entered the body");
    release.countDown();
    String expected = calls.get(0).get(60, TimeUnit.SECONDS);
    for (Future<String> call : calls) {
      assertEquals(expected, call.get(60, TimeUnit.SECONDS));
    }
    assertEquals(1, ops.runs("slow"));
  }

  @Test
  @Timeout(120)
  void concurrentDuplicatesAreRejectedWhileTheFirstRuns() throws Exception {
    Operations ops = operations();
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    ops.hold(entered, release);
    pool = Executors.newFixedThreadPool(THREADS);
    Future<String> first = pool.submit(() -> ops.slowRejecting("same-key"));
    assertTrue(entered.await(30, TimeUnit.SECONDS), "the first call did not enter the body");

    CountDownLatch go = new CountDownLatch(1);
    List<Future<Throwable>> duplicates = new ArrayList<>();
    for (int i = 1; i < THREADS; i++) {
      duplicates.add(
          pool.submit(
              () -> {
                go.await();
                try {
                  return new AssertionError("returned " + ops.slowRejecting("same-key"));
                } catch (RuntimeException e) {
                  return e;
                }
              }));
    }
    go.countDown();
    int rejected = 0;
    for (Future<Throwable> duplicate : duplicates) {
      assertInstanceOf(IdempotencyInProgressException.class, duplicate.get(60, TimeUnit.SECONDS));
      rejected++;
    }
    assertEquals(THREADS - 1, rejected);
    assertEquals(1, ops.runs("slowRejecting"), "a rejected duplicate ran the body");

    release.countDown();
    String result = first.get(60, TimeUnit.SECONDS);
    assertEquals(result, ops.slowRejecting("same-key"));
    assertEquals(1, ops.runs("slowRejecting"));
  }

  @Test
  void bodyCallingItselfOnceWithTheSameArgumentsIsRefusedAsReentrant() {
    Operations ops = operations();
    ops.callItselfThrough(ops);
    IdempotencyInProgressException e =
        assertThrows(IdempotencyInProgressException.class, () -> ops.callsItselfOnce("nest-1"));
    assertTrue(e.getMessage().contains("re-entrant call"), e.getMessage());
    assertEquals(1, ops.runs("callsItselfOnce"), "the nested call ran its body unprotected");
  }

  @Test
  void sameKeyWithDifferentArgumentsIsKeyReuse() {
    Operations ops = operations();
    ops.charge("order-9", 100);
    IdempotencyKeyReuseException reuse =
        assertThrows(IdempotencyKeyReuseException.class, () -> ops.charge("order-9", 200));
    assertTrue(reuse.getMessage().contains("charge"), reuse.getMessage());
    assertEquals(1, ops.runs("charge"));
  }

  @Test
  void unknownParameterInKeyExpressionIsADefinitionError() {
    IdempotencyDefinitionException error =
        expectDefinitionError(engine, "unknownParameter", ops -> ops.unknownParameter("x"));
    assertTrue(error.getMessage().contains("#nope"), error.getMessage());
    assertTrue(error.getMessage().contains("unknownParameter(String)"), error.getMessage());
    assertTrue(error.getMessage().contains("#id"), "lists the valid names: " + error.getMessage());
  }

  @Test
  void badTtlIsADefinitionErrorNamingMethodAndAttribute() {
    IdempotencyDefinitionException error =
        expectDefinitionError(engine, "badTtl", ops -> ops.badTtl("x"));
    assertTrue(error.getMessage().contains("badTtl"), error.getMessage());
    assertTrue(error.getMessage().contains("ttl"), error.getMessage());
    assertTrue(error.getMessage().contains("soon"), error.getMessage());
  }

  @Test
  void primitiveParametersAndResults() {
    Operations ops = operations();
    assertEquals(42L, ops.scale(21L, 2));
    assertEquals(42L, ops.scale(21L, 2));
    assertEquals(1, ops.runs("scale"));
    assertEquals(3.5, ops.half(7));
    assertEquals(3.5, ops.half(7));
    assertEquals(4.0, ops.half(8));
    assertEquals(2, ops.runs("half"));
  }

  @Test
  void varargsMethod() {
    Operations ops = operations();
    assertEquals(6, ops.total("sum-1", 1, 2, 3));
    assertEquals(6, ops.total("sum-1", 1, 2, 3));
    assertEquals(1, ops.runs("total"));
  }

  @Test
  void genericMethod() {
    Operations ops = operations();
    List<Integer> value = List.of(1, 2, 3);
    List<Integer> first = ops.echo("generic-1", value);
    List<Integer> second = ops.echo("generic-1", value);
    assertEquals(value, first);
    assertEquals(first, second);
    assertEquals(1, ops.runs("echo"));
  }

  @Test
  void staticMethod() throws Throwable {
    StaticFixture.reset();
    Method next = StaticFixture.class.getMethod("next", String.class);
    Object first = callStatic(engine, next, "static-1");
    assertEquals(first, callStatic(engine, next, "static-1"));
    assertEquals(1, StaticFixture.runs());
    assertNotEquals(first, callStatic(engine, next, "static-2"));
    assertEquals(2, StaticFixture.runs());
  }

  /**
   * Calls {@code method} on {@code target} by reflection and throws what the method threw,
   * unwrapped: for adapters and tests that reach fixtures reflectively.
   */
  protected static Object reflect(Method method, Object target, Object... args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
