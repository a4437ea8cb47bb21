package dev.idempotent.aspectj;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The first woven call on the aspect's default engine says so: a WARN when an engine with a shared
 * store was built and never configured, an INFO otherwise. Each test runs in a class loader of its
 * own, where the aspect has no engine yet.
 */
class DefaultEngineUseTest {

  @Test
  void engineBuiltButNeverConfiguredIsAWarningOnTheFirstWovenCall() throws Exception {
    List<String> lines;
    int runs;
    try (IsolatedLoader loader = new IsolatedLoader();
        CapturedLog log = new CapturedLog()) {
      runs = loader.call(DefaultEngineScenario.class, "chargeTwiceWithAnEngineNeverConfigured");
      lines = log.lines();
    }
    assertEquals(1, runs, "the default engine did not protect the woven method");
    List<String> warnings = lines.stream().filter(l -> l.contains("WARN")).toList();
    assertEquals(1, warnings.size(), lines::toString);
    String warning = warnings.get(0);
    assertTrue(warning.contains("dev.idempotent.aspectj.Ledger.first(String)"), warning);
    assertTrue(warning.contains("SharedStoreStandIn[redis://orders.example:6379]"), warning);
    assertTrue(warning.contains("never given to IdempotentAspect.configure"), warning);
    assertTrue(warning.contains("Call IdempotentAspect.configure(engine)"), warning);
  }

  @Test
  void defaultEngineWithNothingElseBuiltIsNotedOnceAtInfo() throws Exception {
    List<String> lines;
    try (IsolatedLoader loader = new IsolatedLoader();
        CapturedLog log = new CapturedLog()) {
      loader.call(DefaultEngineScenario.class, "chargeTwiceWithNothingConfigured");
      loader.call(DefaultEngineScenario.class, "chargeTwiceWithNothingConfigured");
      lines = log.lines();
    }
    List<String> notes = lines.stream().filter(l -> l.contains("default engine")).toList();
    assertEquals(1, notes.size(), lines::toString);
    assertTrue(notes.get(0).contains("INFO"), notes.get(0));
    assertTrue(notes.get(0).contains("in memory in this JVM only"), notes.get(0));
  }

  @Test
  void closedEngineWithASharedStoreIsNoReasonToWarn() throws Exception {
    List<String> lines;
    try (IsolatedLoader loader = new IsolatedLoader();
        CapturedLog log = new CapturedLog()) {
      loader.call(DefaultEngineScenario.class, "chargeTwiceAfterTheSharedEngineWasClosed");
      lines = log.lines();
    }
    assertEquals(List.of(), lines.stream().filter(l -> l.contains("WARN")).toList());
  }
}
