package dev.idempotent.test;

import dev.idempotent.IdempotentOperation;
import java.util.concurrent.Callable;

/**
 * Runs in a class loader without Guice and AspectJ (see {@link OptionalDependenciesTest}): the
 * tester, its assertions and an operation on its engine must work there.
 */
public final class WithoutOptionalScenario implements Callable<String> {
  /** For the reflective call. */
  public WithoutOptionalScenario() {}

  @Override
  public String call() {
    for (String absent : new String[] {"com.google.inject.Module", "org.aspectj.lang.JoinPoint"}) {
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
      return "charged " + receipt.id() + " " + gateway.charges() + " time(s)";
    }
  }
}
