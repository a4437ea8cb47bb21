package dev.idempotent.spring.kit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.idempotent.test.IdempotencyExtension;
import dev.idempotent.test.IdempotencyTestConfiguration;
import dev.idempotent.test.IdempotencyTester;
import dev.idempotent.test.SpringTesterBinding;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;

/**
 * The kit's wiring without its extension: the context (the one {@link SpringContextWiringTest}
 * uses, from Spring's cache) refuses @Idempotent calls instead of running them on an engine no test
 * owns, and says what to add. Without JUnit's extension a tester can be bound by hand.
 */
@SpringBootTest(classes = KitApplication.class)
@Import(IdempotencyTestConfiguration.class)
@ResourceLock(IdempotencyExtension.SPRING)
@ResourceLock(IdempotencyExtension.ASPECT)
class WiringWithoutExtensionTest {
  @Autowired Charges charges;
  @Autowired SpringTesterBinding binding;

  @Test
  void aCallWithoutABoundTesterFailsWithTheFix() {
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> charges.charge("no-tester", 1));
    assertThat(e).hasMessageContaining("@ExtendWith(IdempotencyExtension.class)");
  }

  @Test
  void aTesterBoundByHandRunsTheCallsUntilUnbound() {
    try (IdempotencyTester idempotency = IdempotencyTester.create();
        SpringTesterBinding.Binding bound = binding.bind(idempotency)) {
      idempotency.assertRetryReturnsSameResult(() -> charges.charge("by-hand", 2));
    }
    assertThrows(IllegalStateException.class, () -> charges.charge("by-hand", 2));
  }

  @Test
  void aSecondTesterCannotTakeTheContextWhileOneHoldsIt() {
    try (IdempotencyTester first = IdempotencyTester.builder().aspect(false).name("A").build();
        SpringTesterBinding.Binding bound = binding.bind(first);
        IdempotencyTester second = IdempotencyTester.builder().aspect(false).name("B").build()) {
      IllegalStateException e =
          assertThrows(IllegalStateException.class, () -> binding.bind(second));
      assertThat(e)
          .hasMessageContaining("IdempotencyTester[A")
          .hasMessageContaining("@ResourceLock(IdempotencyExtension.SPRING)");
    }
  }
}
