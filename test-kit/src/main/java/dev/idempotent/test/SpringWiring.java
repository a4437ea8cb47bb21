package dev.idempotent.test;

import dev.idempotent.IdempotencyEngine;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.junit.jupiter.SpringExtension;

/**
 * Finds the {@link SpringTesterBinding} of a Spring test's application context and binds a tester
 * to it. Loaded only when spring-test is on the class path, and only for test classes that JUnit
 * runs with Spring's extension.
 */
final class SpringWiring {
  private SpringWiring() {}

  /**
   * The context's binding (a {@link SpringTesterBinding}), or null when the context has no
   * {@code @Idempotent} engine at all. Loads the context if Spring has not yet.
   *
   * @throws ExtensionConfigurationException when the context has an engine but not {@link
   *     IdempotencyTestConfiguration}: its beans would run on the context's engine, shared by every
   *     test, and the kit's assertions would not see them
   */
  static Object binding(ExtensionContext test) {
    ApplicationContext context = SpringExtension.getApplicationContext(test);
    SpringTesterBinding binding = context.getBeanProvider(SpringTesterBinding.class).getIfUnique();
    if (binding != null) {
      return binding;
    }
    if (context.getBeanNamesForType(IdempotencyEngine.class, true, false).length > 0) {
      throw new ExtensionConfigurationException(
          "IdempotencyExtension on the Spring test "
              + test.getRequiredTestClass().getName()
              + ": its application context has an IdempotencyEngine but not the test kit's"
              + " wiring, so its @Idempotent beans would run on the context's engine, shared by"
              + " every test that reuses the cached context, and not on this test's fresh engine"
              + " and clock. Add @Import(IdempotencyTestConfiguration.class) to the test class.");
    }
    return null;
  }

  /**
   * Binds {@code tester} to {@code binding} (from {@link #binding}) until the returned handle is
   * closed.
   */
  static AutoCloseable bind(Object binding, IdempotencyTester tester) {
    return ((SpringTesterBinding) binding).bind(tester);
  }
}
