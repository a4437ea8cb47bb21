package dev.idempotent.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.idempotent.IdempotencyEngine;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** A {@code Supplier<IdempotencyEngine>} bean chooses the engine of each proxied call. */
class EngineSupplierTest {
  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(IdempotencyAutoConfiguration.class))
          .withBean(Payments.class);

  @Test
  void theProxiesAskTheSupplierOnEveryCall() {
    EngineSupplier current = new EngineSupplier();
    try (IdempotencyEngine first = IdempotencyEngine.builder().build();
        IdempotencyEngine second = IdempotencyEngine.builder().build()) {
      runner
          .withBean(EngineSupplier.class, () -> current)
          .run(
              context -> {
                Payments payments = context.getBean(Payments.class);
                current.engine.set(first);
                payments.charge("p-1", 1);
                payments.charge("p-1", 1);
                assertThat(payments.runs()).isEqualTo(1);
                current.engine.set(second);
                payments.charge("p-1", 1);
                assertThat(payments.runs()).isEqualTo(2);
              });
    }
  }

  @Test
  void withoutASupplierTheProxiesKeepTheEngineBean() {
    runner.run(
        context -> {
          Payments payments = context.getBean(Payments.class);
          payments.charge("p-2", 1);
          payments.charge("p-2", 1);
          assertThat(payments.runs()).isEqualTo(1);
        });
  }

  @Test
  void twoSuppliersAndNoPrimaryFailTheCallNamingTheFix() {
    runner
        .withBean("a", EngineSupplier.class, EngineSupplier::new)
        .withBean("b", EngineSupplier.class, EngineSupplier::new)
        .run(
            context ->
                assertThatThrownBy(() -> context.getBean(Payments.class).charge("p-3", 1))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("several Supplier<IdempotencyEngine> beans")
                    .hasMessageContaining("@Primary"));
  }

  /** Answers whichever engine the test set. */
  static final class EngineSupplier implements Supplier<IdempotencyEngine> {
    final AtomicReference<IdempotencyEngine> engine = new AtomicReference<>();

    @Override
    public IdempotencyEngine get() {
      return engine.get();
    }
  }
}
