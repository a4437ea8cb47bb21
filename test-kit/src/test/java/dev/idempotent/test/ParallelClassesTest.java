package dev.idempotent.test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.idempotent.test.woven.WovenPayments;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * Test classes that call woven methods, run by JUnit in parallel: without the resource lock the
 * second one to wire the aspect fails at once, naming the first; with it they take turns.
 */
@ResourceLock(IdempotencyExtension.ASPECT)
class ParallelClassesTest {
  /** Counted down when a test of the other class has finished. */
  static final Map<String, CountDownLatch> FINISHED = new ConcurrentHashMap<>();

  @Test
  void withoutTheLockTheSecondClassToWireTheAspectFailsNamingTheFirst() {
    FINISHED.put("Left", new CountDownLatch(1));
    FINISHED.put("Right", new CountDownLatch(1));
    Map<String, Throwable> failures = run(Left.class, Right.class);
    assertEquals(1, failures.size(), "exactly one class fails: " + failures);
    Map.Entry<String, Throwable> failure = failures.entrySet().iterator().next();
    String other = failure.getKey().equals("Left") ? "Right" : "Left";
    String message = failure.getValue().getMessage();
    assertTrue(failure.getValue() instanceof IllegalStateException, failure.getValue().toString());
    assertTrue(message.contains("cannot wire IdempotentAspect"), message);
    assertTrue(
        message.contains("[class:" + ParallelClassesTest.class.getName() + "$" + other + "]"),
        message);
    assertTrue(message.contains("@ResourceLock(IdempotencyExtension.ASPECT)"), message);
  }

  @Test
  void withTheLockEveryClassRunsOnItsOwnEngine() {
    Map<String, Throwable> failures =
        run(LockedA.class, LockedB.class, LockedC.class, LockedD.class);
    assertEquals(Map.of(), failures);
  }

  private static Map<String, Throwable> run(Class<?>... classes) {
    Map<String, Throwable> failures = new ConcurrentHashMap<>();
    LauncherDiscoveryRequest request =
        LauncherDiscoveryRequestBuilder.request()
            .selectors(List.of(classes).stream().map(c -> selectClass(c)).toList())
            .configurationParameter("junit.jupiter.execution.parallel.enabled", "true")
            .configurationParameter("junit.jupiter.execution.parallel.mode.default", "concurrent")
            .configurationParameter(
                "junit.jupiter.execution.parallel.mode.classes.default", "concurrent")
            .configurationParameter("junit.jupiter.execution.parallel.config.strategy", "fixed")
            .configurationParameter(
                "junit.jupiter.execution.parallel.config.fixed.parallelism", "4")
            .build();
    TestExecutionListener listener =
        new TestExecutionListener() {
          @Override
          public void executionFinished(TestIdentifier test, TestExecutionResult result) {
            if (!test.isTest()) {
              return;
            }
            String name = test.getUniqueId().replaceAll(".*\\$([A-Za-z]+)\\].*", "$1");
            result.getThrowable().ifPresent(t -> failures.put(name, t));
            CountDownLatch latch = FINISHED.get(name);
            if (latch != null) {
              latch.countDown();
            }
          }
        };
    LauncherFactory.create().execute(request, listener);
    return failures;
  }

  /** Holds the aspect until a test of {@code other} has finished, so the two overlap. */
  static void holdUntilFinished(String other) throws InterruptedException {
    assertTrue(FINISHED.get(other).await(30, TimeUnit.SECONDS), other + " never finished its test");
  }

  @ExtendWith(IdempotencyExtension.class)
  static class Left {
    @Test
    void charge(IdempotencyTester idempotency) throws Exception {
      idempotency.assertRetryReturnsSameResult(
          () -> new WovenPayments(new Gateway()).charge(ChargeRequest.of("k")));
      holdUntilFinished("Right");
    }
  }

  @ExtendWith(IdempotencyExtension.class)
  static class Right {
    @Test
    void charge(IdempotencyTester idempotency) throws Exception {
      idempotency.assertRetryReturnsSameResult(
          () -> new WovenPayments(new Gateway()).charge(ChargeRequest.of("k")));
      holdUntilFinished("Left");
    }
  }

  @ExtendWith(IdempotencyExtension.class)
  @ResourceLock(IdempotencyExtension.ASPECT)
  static class LockedA {
    @Test
    void charge(IdempotencyTester idempotency) {
      idempotency.assertConcurrentCallersRunOnce(
          4, () -> new WovenPayments(new Gateway()).charge(ChargeRequest.of("k")));
    }
  }

  @ExtendWith(IdempotencyExtension.class)
  @ResourceLock(IdempotencyExtension.ASPECT)
  static class LockedB extends LockedA {}

  @ExtendWith(IdempotencyExtension.class)
  @ResourceLock(IdempotencyExtension.ASPECT)
  static class LockedC extends LockedA {}

  @ExtendWith(IdempotencyExtension.class)
  @ResourceLock(IdempotencyExtension.ASPECT)
  static class LockedD extends LockedA {}
}
