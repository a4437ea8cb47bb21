package dev.idempotent.guice;

import dev.idempotent.IdempotencyEngine;
import dev.idempotent.IdempotencyListener;
import dev.idempotent.KeyScope;
import dev.idempotent.store.IdempotencyStore;
import jakarta.inject.Inject;
import jakarta.inject.Provider;
import java.util.Optional;
import java.util.Set;

/** Builds the injector's engine from the application's optional bindings. */
final class DefaultEngineProvider implements Provider<IdempotencyEngine> {
  private final Optional<IdempotencyStore> store;
  private final Optional<KeyScope> scope;
  private final Set<IdempotencyListener> listeners;

  @Inject
  DefaultEngineProvider(
      Optional<IdempotencyStore> store,
      Optional<KeyScope> scope,
      Set<IdempotencyListener> listeners) {
    this.store = store;
    this.scope = scope;
    this.listeners = listeners;
  }

  @Override
  public IdempotencyEngine get() {
    IdempotencyEngine.Builder builder = IdempotencyEngine.builder();
    store.ifPresent(builder::store);
    scope.ifPresent(builder::scope);
    listeners.forEach(builder::listener);
    return builder.build();
  }
}
