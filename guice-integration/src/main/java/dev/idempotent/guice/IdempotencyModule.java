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
 *       IdempotencyListener.class)}.
 * </ul>
 *
 * <p>{@code new IdempotencyModule(engine)} uses the given engine instead (share it with {@code
 * IdempotentAspect.configure(engine)} when some classes are also woven). Either default gives way
 * to the application's {@code OptionalBinder.newOptionalBinder(binder(),
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
 * {@code configure()} time but declare bindings.
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
}
