package dev.idempotent.test;

import com.google.inject.AbstractModule;
import com.google.inject.multibindings.OptionalBinder;
import dev.idempotent.IdempotencyEngine;
import dev.idempotent.guice.IdempotencyModule;
import java.util.Objects;

/**
 * Gives a Guice injector the test's engine: install it next to the application's modules, and every
 * intercepted {@code @Idempotent} method of the injector runs on the tester's engine and clock.
 *
 * <pre>{@code
 * Injector injector =
 *     Guice.createInjector(new PaymentsModule(), new IdempotencyTestModule(idempotency));
 * }</pre>
 *
 * <p>It installs {@code new IdempotencyModule()} (the same module the application installs, which
 * Guice then installs once) and sets the engine through {@code OptionalBinder}'s {@code
 * setBinding}, which wins over the module's default engine and the application's store bindings. An
 * application module that installs {@code new IdempotencyModule(engine)} with an engine of its own
 * conflicts with it: bind the store instead, or leave that module out of the test. The injector is
 * the test's own, so tests with injectors run in parallel freely. Requires idempotent-guice on the
 * test class path.
 */
public final class IdempotencyTestModule extends AbstractModule {
  private final IdempotencyEngine engine;

  /**
   * A module that binds the tester's engine.
   *
   * @throws NullPointerException when {@code tester} is null
   */
  public IdempotencyTestModule(IdempotencyTester tester) {
    this.engine = Objects.requireNonNull(tester, "tester").engine();
  }

  @Override
  protected void configure() {
    install(new IdempotencyModule());
    OptionalBinder.newOptionalBinder(binder(), IdempotencyEngine.class)
        .setBinding()
        .toInstance(engine);
  }
}
