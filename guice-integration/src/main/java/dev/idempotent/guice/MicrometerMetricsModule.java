package dev.idempotent.guice;

import com.google.inject.AbstractModule;
import com.google.inject.multibindings.OptionalBinder;
import dev.idempotent.IdempotencyListener;
import dev.idempotent.micrometer.MicrometerIdempotencyListener;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Inject;
import jakarta.inject.Provider;
import java.util.Optional;

/**
 * Gives the engine that {@link IdempotencyModule} builds a {@link MicrometerIdempotencyListener}
 * when the application binds a {@link MeterRegistry}, and nothing when it does not.
 *
 * <p>The only class of this module that names Micrometer types. {@link IdempotencyModule} installs
 * it only after finding, by name, that Micrometer and idempotent-micrometer can be loaded, so
 * idempotent-guice runs without them (both are optional dependencies).
 */
final class MicrometerMetricsModule extends AbstractModule {
  @Override
  protected void configure() {
    OptionalBinder.newOptionalBinder(binder(), MeterRegistry.class);
    OptionalBinder.newOptionalBinder(binder(), DefaultEngineProvider.AUTOMATIC_LISTENER)
        .setDefault()
        .toProvider(ListenerProvider.class);
  }

  /** All instances are equal, so Guice installs it once. */
  @Override
  public boolean equals(Object other) {
    return other instanceof MicrometerMetricsModule;
  }

  @Override
  public int hashCode() {
    return MicrometerMetricsModule.class.hashCode();
  }

  /**
   * The listener for the bound registry, or null without one, which {@link OptionalBinder} turns
   * into an absent listener.
   */
  static final class ListenerProvider implements Provider<IdempotencyListener> {
    private final Optional<MeterRegistry> registry;

    @Inject
    ListenerProvider(Optional<MeterRegistry> registry) {
      this.registry = registry;
    }

    @Override
    public IdempotencyListener get() {
      return registry.map(MicrometerIdempotencyListener::create).orElse(null);
    }
  }
}
