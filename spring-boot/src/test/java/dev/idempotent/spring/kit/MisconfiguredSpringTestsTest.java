package dev.idempotent.spring.kit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.idempotent.test.IdempotencyExtension;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * A Spring test with the kit's extension but not its wiring fails before the test, with the fix.
 */
@ResourceLock(IdempotencyExtension.SPRING)
@ResourceLock(IdempotencyExtension.ASPECT)
class MisconfiguredSpringTestsTest {

  @Test
  void theExtensionWithoutTheWiringFailsNamingTheImport() {
    List<Throwable> failures = new CopyOnWriteArrayList<>();
    TestExecutionListener listener =
        new TestExecutionListener() {
          @Override
          public void executionFinished(TestIdentifier test, TestExecutionResult result) {
            if (test.isTest()) {
              failures.add(result.getThrowable().orElse(null));
            }
          }
        };
    LauncherFactory.create()
        .execute(
            LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClass(WithoutWiringScenario.class))
                .build(),
            listener);
    assertThat(failures).hasSize(1);
    assertThat(failures.get(0))
        .isNotNull()
        .hasMessageContaining("WithoutWiringScenario")
        .hasMessageContaining("Add @Import(IdempotencyTestConfiguration.class)");
  }
}
