package dev.idempotent.guice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.TypeLiteral;
import com.google.inject.multibindings.Multibinder;
import com.google.inject.multibindings.OptionalBinder;
import dev.idempotent.IdempotencyEngine;
import dev.idempotent.IdempotencyListener;
import dev.idempotent.micrometer.MicrometerIdempotencyListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The engine {@code new IdempotencyModule()} builds records Micrometer metrics when the application
 * binds a {@link MeterRegistry}, and only then.
 */
class AutomaticMetricsTest {

  @Test
  void boundRegistryCountsOneExecutionAndOneReplay() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Injector injector =
        Guice.createInjector(
            new IdempotencyModule(),
            binder -> binder.bind(MeterRegistry.class).toInstance(registry));
    Fixtures.Payments payments = injector.getInstance(Fixtures.Payments.class);

    assertEquals(payments.charge("m-1"), payments.charge("m-1"));

    assertEquals(1, payments.runs.get());
    assertEquals(1.0, calls(registry, "idempotent", "executed").count());
    assertEquals(1.0, calls(registry, "idempotent", "replayed").count());
    assertTrue(
        calls(registry, "idempotent", "executed")
            .getId()
            .getTag(MicrometerIdempotencyListener.NAMESPACE_TAG)
            .endsWith("charge(java.lang.String)"),
        registry::getMetersAsString);
    assertEquals(
        2,
        registry.get("idempotent.store.operations").tag("operation", "acquire").timer().count(),
        "the listener asks for store timings");
  }

  @Test
  void registryFromAProvidesMethodIsUsed() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Injector injector =
        Guice.createInjector(
            new IdempotencyModule(),
            new AbstractModule() {
              @Provides
              @Singleton
              MeterRegistry meterRegistry() {
                return registry;
              }
            });
    Fixtures.Payments payments = injector.getInstance(Fixtures.Payments.class);

    payments.charge("m-2");

    assertEquals(1.0, calls(registry, "idempotent", "executed").count());
  }

  @Test
  void withoutARegistryInjectionWorksAndNothingIsRegistered() {
    Injector injector = Guice.createInjector(new IdempotencyModule());
    Fixtures.Payments payments = injector.getInstance(Fixtures.Payments.class);

    assertEquals(payments.charge("m-3"), payments.charge("m-3"));

    assertEquals(1, payments.runs.get());
    assertEquals(
        Optional.empty(),
        injector.getInstance(Key.get(new TypeLiteral<Optional<MeterRegistry>>() {})));
    assertEquals(
        Optional.empty(),
        injector.getInstance(
            Key.get(new TypeLiteral<Optional<IdempotencyListener>>() {}, AutomaticListener.class)));
    assertTrue(
        Metrics.globalRegistry.find("idempotent.calls").meters().isEmpty(),
        "nothing falls back to Micrometer's global registry");
  }

  @Test
  void engineGivenToTheModuleGetsNoAutomaticListener() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    IdempotencyEngine engine = IdempotencyEngine.builder().build();
    Injector injector =
        Guice.createInjector(
            new IdempotencyModule(engine),
            binder -> binder.bind(MeterRegistry.class).toInstance(registry));
    Fixtures.Payments payments = injector.getInstance(Fixtures.Payments.class);

    assertEquals(payments.charge("m-4"), payments.charge("m-4"));

    assertEquals(1, payments.runs.get());
    assertTrue(registry.getMeters().isEmpty(), registry::getMetersAsString);
  }

  @Test
  void engineBoundByTheApplicationGetsNoAutomaticListener() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Injector injector =
        Guice.createInjector(
            new IdempotencyModule(),
            binder -> {
              binder.bind(MeterRegistry.class).toInstance(registry);
              OptionalBinder.newOptionalBinder(binder, IdempotencyEngine.class)
                  .setBinding()
                  .toInstance(IdempotencyEngine.builder().build());
            });

    injector.getInstance(Fixtures.Payments.class).charge("m-5");

    assertTrue(registry.getMeters().isEmpty(), registry::getMetersAsString);
  }

  @Test
  void micrometerListenerBoundByTheApplicationReplacesTheAutomaticOne() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Injector injector =
        Guice.createInjector(
            new IdempotencyModule(),
            binder -> {
              binder.bind(MeterRegistry.class).toInstance(registry);
              Multibinder.newSetBinder(binder, IdempotencyListener.class)
                  .addBinding()
                  .toInstance(
                      MicrometerIdempotencyListener.builder(registry)
                          .prefix("payments.idempotent")
                          .build());
            });
    Fixtures.Payments payments = injector.getInstance(Fixtures.Payments.class);

    assertEquals(payments.charge("m-6"), payments.charge("m-6"));

    assertEquals(1.0, calls(registry, "payments.idempotent", "executed").count());
    assertEquals(1.0, calls(registry, "payments.idempotent", "replayed").count());
    assertNull(registry.find("idempotent.calls").counter(), registry::getMetersAsString);
  }

  private static Counter calls(MeterRegistry registry, String prefix, String result) {
    return registry.get(prefix + ".calls").tag("result", result).counter();
  }
}
