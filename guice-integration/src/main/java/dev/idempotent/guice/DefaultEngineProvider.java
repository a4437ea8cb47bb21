package dev.idempotent.guice;

import com.google.inject.Key;
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
  /** The listener the module adds by itself, such as Micrometer metrics; absent unless bound. */
  static final Key<IdempotencyListener> AUTOMATIC_LISTENER =
      Key.get(IdempotencyListener.class, AutomaticListener.class);

  private final Optional<IdempotencyStore> store;
  private final Optional<KeyScope> scope;
  private final Set<IdempotencyListener> listeners;
  private final Optional<IdempotencyListener> automatic;

  @Inject
  DefaultEngineProvider(
      Optional<IdempotencyStore> store,
      Optional<KeyScope> scope,
      Set<IdempotencyListener> listeners,
      @AutomaticListener Optional<IdempotencyListener> automatic) {
    this.store = store;
    this.scope = scope;
    this.listeners = listeners;
    this.automatic = automatic;
  }

  @Override
  public IdempotencyEngine get() {
    IdempotencyEngine.Builder builder = IdempotencyEngine.builder();
    store.ifPresent(builder::store);
    scope.ifPresent(builder::scope);
    listeners.forEach(builder::listener);
    // An application that bound a listener of the same class chose its settings (a prefix, tags);
    // adding ours as well would record every event twice.
    automatic
        .filter(added -> listeners.stream().noneMatch(l -> l.getClass() == added.getClass()))
        .ifPresent(builder::listener);
    return builder.build();
  }
}
