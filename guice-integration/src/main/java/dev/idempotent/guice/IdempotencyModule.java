package dev.idempotent.guice;

import com.google.inject.AbstractModule;
import com.google.inject.Singleton;
import com.google.inject.matcher.Matchers;
import com.google.inject.multibindings.Multibinder;
import com.google.inject.multibindings.OptionalBinder;
import dev.idempotent.IdempotencyEngine;
import dev.idempotent.IdempotencyListener;
import dev.idempotent.Idempotent;
import dev.idempotent.KeyScope;
import dev.idempotent.store.IdempotencyStore;
import java.util.Objects;

/**
 * Makes {@link Idempotent} effective on every instance Guice creates: install it once and each call
 * of an annotated method runs through an {@link IdempotencyEngine}.
 *
 * <pre>{@code
 * Injector injector = Guice.createInjector(new IdempotencyModule(), new PaymentsModule());
 * }</pre>
 *
 * <p>The engine is a singleton of the injector. {@code new IdempotencyModule()} builds it from the
 * application's own bindings, each optional:
 *
 * <ul>
 *   <li>{@link IdempotencyStore}: the store, e.g. {@code
 *       bind(IdempotencyStore.class).toInstance(RedisIdempotencyStore.builder(uri).build())};
 *       without one, an in-memory Caffeine store;
 *   <li>{@link KeyScope}: the tenant or principal mixed into every key;
 *   <li>{@link IdempotencyListener}s, added with {@code Multibinder.newSetBinder(binder(),
 *       IdempotencyListener.class)};
 *   <li>{@code io.micrometer.core.instrument.MeterRegistry}: when idempotent-micrometer (and so
 *       Micrometer) is on the class path and the application binds a registry, the engine records
 *       metrics to it with {@code MicrometerIdempotencyListener.create(registry)}, unless a {@code
 *       MicrometerIdempotencyListener} is among the bound listeners already. Without those jars
 *       (both optional dependencies of this module, checked by class name) the module declares no
 *       Micrometer binding and loads no Micrometer class.
 * </ul>
 *
 * <p>{@code new IdempotencyModule(engine)} uses the given engine instead (share it with {@code
 * IdempotentAspect.configure(engine)} when some classes are also woven); its listeners are the ones
 * it was built with, so add the Micrometer listener to its builder. Either default gives way to the
 * application's {@code OptionalBinder.newOptionalBinder(binder(),
 * IdempotencyEngine.class).setBinding().toInstance(engine)}.
 *
 * <p>When the injector is created, every {@code @Idempotent} method of each type Guice provisions
 * is checked: a wrong annotation ({@code IdempotencyDefinitionException}), or a method Guice cannot
 * intercept (final class, final, private or static method, an override without the annotation), is
 * a {@link com.google.inject.CreationException} naming the class, the method and the reason, never
 * a method that silently runs unprotected. Methods woven by {@code idempotent-aspectj} protect
 * themselves, with the aspect's engine, so they are only checked, not intercepted. Types Guice
 * first meets after creation (just-in-time bindings) are checked when first met, as a {@link
 * com.google.inject.ConfigurationException}. Instances Guice does not create ({@code toInstance},
 * {@code @Provides} results) are not intercepted.
 *
 * <p>Modules are equal when they hold the same engine (or both the default), so installing it twice
 * installs it once; two modules with different engines in one injector are a creation error.
 * Bindings and interception are inherited by child injectors: install it in the parent. Sibling
 * child injectors may each install it, and then each has its own engine. The module does nothing at
 * {@code configure()} time but declare bindings (and, once per class loader, look up whether the
 * Micrometer classes exist); nothing is built, and no meter registered, before the injector is.
 */
public final class IdempotencyModule extends AbstractModule {
  private final IdempotencyEngine engine;

  /**
   * A module whose engine is built from the application's bindings of {@link IdempotencyStore},
   * {@link KeyScope} and {@link IdempotencyListener}, or from the defaults (Caffeine store).
   */
  public IdempotencyModule() {
    this.engine = null;
  }

  /**
   * A module that uses {@code engine}.
   *
   * @param engine the engine for every intercepted method
   * @throws NullPointerException when {@code engine} is null
   */
  public IdempotencyModule(IdempotencyEngine engine) {
    this.engine = Objects.requireNonNull(engine, "engine");
  }

  @Override
  protected void configure() {
    OptionalBinder.newOptionalBinder(binder(), IdempotencyStore.class);
    OptionalBinder.newOptionalBinder(binder(), KeyScope.class);
    Multibinder.newSetBinder(binder(), IdempotencyListener.class);
    OptionalBinder<IdempotencyEngine> engineBinder =
        OptionalBinder.newOptionalBinder(binder(), IdempotencyEngine.class);
    if (engine != null) {
      engineBinder.setDefault().toInstance(engine);
    } else {
      engineBinder.setDefault().toProvider(DefaultEngineProvider.class).in(Singleton.class);
      OptionalBinder.newOptionalBinder(binder(), DefaultEngineProvider.AUTOMATIC_LISTENER);
      if (MicrometerOnClassPath.PRESENT) {
        install(new MicrometerMetricsModule());
      }
    }

    IdempotencyInterceptor interceptor = new IdempotencyInterceptor();
    requestInjection(interceptor);
    bindInterceptor(Matchers.any(), IdempotentMethods.INTERCEPTED, interceptor);

    IdempotentTypeChecker checker = new IdempotentTypeChecker();
    requestInjection(checker);
    bindListener(Matchers.any(), checker);
  }

  /** Equal to another module with the same engine, so Guice installs the module only once. */
  @Override
  public boolean equals(Object other) {
    return other instanceof IdempotencyModule && ((IdempotencyModule) other).engine == engine;
  }

  @Override
  public int hashCode() {
    return IdempotencyModule.class.hashCode() ^ System.identityHashCode(engine);
  }

  @Override
  public String toString() {
    return engine == null
        ? "IdempotencyModule(default engine)"
        : "IdempotencyModule(" + engine + ")";
  }

  /**
   * Whether idempotent-micrometer and Micrometer can be loaded by this module's class loader.
   * Looked up by name, without initializing anything, once: naming the types here would make the
   * module fail without them.
   */
  private static final class MicrometerOnClassPath {
    static final boolean PRESENT =
        loadable("io.micrometer.core.instrument.MeterRegistry")
            && loadable("dev.idempotent.micrometer.MicrometerIdempotencyListener");

    private static boolean loadable(String name) {
      try {
        Class.forName(name, false, IdempotencyModule.class.getClassLoader());
        return true;
      } catch (ClassNotFoundException | LinkageError e) {
        return false;
      }
    }
  }
}
