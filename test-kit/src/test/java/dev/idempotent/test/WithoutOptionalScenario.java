package dev.idempotent.test;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.idempotent.IdempotentOperation;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * Runs in a class loader without Guice, AspectJ and Spring (see {@link OptionalDependenciesTest}):
 * the tester, its assertions and an operation on its engine must work there, and so must the
 * extension.
 */
public final class WithoutOptionalScenario implements Callable<String> {
  /** For the reflective call. */
  public WithoutOptionalScenario() {}

  @Override
  public String call() {
    for (String absent :
        new String[] {
          "com.google.inject.Module",
          "org.aspectj.lang.JoinPoint",
          "org.springframework.context.ApplicationContext"
        }) {
      try {
        Class.forName(absent, false, getClass().getClassLoader());
        return absent + " is visible, so the scenario proves nothing";
      } catch (ClassNotFoundException expected) {
        // as it should be
      }
    }
    Gateway gateway = new Gateway();
    try (IdempotencyTester idempotency = IdempotencyTester.create()) {
      IdempotentOperation<Receipt> charge =
          idempotency.engine().operation("charges", Receipt.class).build();
      ChargeRequest request = ChargeRequest.of("k");
      Receipt receipt =
          idempotency.assertRetryReturnsSameResult(
              () -> charge.execute("k", request, () -> gateway.charge(request)));
      return "charged "
          + receipt.id()
          + " "
          + gateway.charges()
          + " time(s); "
          + runExtensionFixture();
    }
  }

  /** Runs {@link ExtensionFixture} through JUnit in this class loader. */
  private String runExtensionFixture() {
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    thread.setContextClassLoader(getClass().getClassLoader());
    try {
      SummaryGeneratingListener listener = new SummaryGeneratingListener();
      LauncherFactory.create()
          .execute(
              LauncherDiscoveryRequestBuilder.request()
                  .selectors(selectClass(ExtensionFixture.class))
                  .build(),
              listener);
      TestExecutionSummary summary = listener.getSummary();
      summary.getFailures().forEach(f -> f.getException().printStackTrace());
      return "extension: "
          + summary.getTestsSucceededCount()
          + " passed, "
          + summary.getTotalFailureCount()
          + " failed";
    } finally {
      thread.setContextClassLoader(previous);
    }
  }

  /** A test class with the extension; run only by {@link #runExtensionFixture()}. */
  @ExtendWith(IdempotencyExtension.class)
  static final class ExtensionFixture {
    @Test
    void retry(IdempotencyTester idempotency) {
      if (IdempotencyExtension.springWiringAvailable() || idempotency.aspectWired()) {
        throw new AssertionError("Spring or the aspect looks available: " + idempotency);
      }
      Gateway gateway = new Gateway();
      IdempotentOperation<Receipt> charge =
          idempotency.engine().operation("charges", Receipt.class).build();
      ChargeRequest request = ChargeRequest.of("k");
      idempotency.assertRetryReturnsSameResult(
          () -> charge.execute("k", request, () -> gateway.charge(request)));
    }
  }
}
