package dev.idempotent.guice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.CreationException;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.multibindings.Multibinder;
import com.google.inject.multibindings.OptionalBinder;
import dev.idempotent.IdempotencyEngine;
import dev.idempotent.IdempotencyEvent;
import dev.idempotent.IdempotencyKeyException;
import dev.idempotent.IdempotencyListener;
import dev.idempotent.KeyScope;
import dev.idempotent.store.Acquisition;
import dev.idempotent.store.CaffeineIdempotencyStore;
import dev.idempotent.store.IdempotencyKey;
import dev.idempotent.store.IdempotencyStore;
import dev.idempotent.store.Outcome;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** How the module's engine comes from bindings, and how installing it behaves. */
class ModuleBindingsTest {

  /** A store that counts acquisitions, so a test can tell it is the one in use. */
  static final class CountingStore implements IdempotencyStore {
    final IdempotencyStore delegate = CaffeineIdempotencyStore.create();
    final AtomicInteger acquisitions = new AtomicInteger();

    @Override
    public Acquisition acquire(IdempotencyKey key, String fingerprint, Duration lease) {
      acquisitions.incrementAndGet();
      return delegate.acquire(key, fingerprint, lease);
    }

    @Override
    public boolean complete(IdempotencyKey key, String token, Outcome outcome, Duration ttl) {
      return delegate.complete(key, token, outcome, ttl);
    }

    @Override
    public boolean release(IdempotencyKey key, String token) {
      return delegate.release(key, token);
    }

    @Override
    public boolean renew(IdempotencyKey key, String token, Duration lease) {
      return delegate.renew(key, token, lease);
    }

    @Override
    public boolean keepsObjects() {
      return delegate.keepsObjects();
    }
  }

  @Test
  void storeBoundThroughOptionalBinderIsUsed() {
    CountingStore store = new CountingStore();
    Injector injector =
        Guice.createInjector(
            new IdempotencyModule(),
            binder ->
                OptionalBinder.newOptionalBinder(binder, IdempotencyStore.class)
                    .setBinding()
                    .toInstance(store));
    assertSame(store, injector.getInstance(IdempotencyEngine.class).store());
    Fixtures.Payments payments = injector.getInstance(Fixtures.Payments.class);
    assertEquals(payments.charge("s-1"), payments.charge("s-1"));
    assertEquals(1, payments.runs.get());
    assertEquals(2, store.acquisitions.get());
  }

  @Test
  void storeBoundDirectlyIsUsed() {
    CountingStore store = new CountingStore();
    Injector injector =
        Guice.createInjector(
            new IdempotencyModule(),
            binder -> binder.bind(IdempotencyStore.class).toInstance(store));
    assertSame(store, injector.getInstance(IdempotencyEngine.class).store());
  }

  @Test
  void engineBoundByTheApplicationOverridesTheModulesEngine() {
    IdempotencyEngine own = IdempotencyEngine.builder().build();
    Injector injector =
        Guice.createInjector(
            new IdempotencyModule(IdempotencyEngine.builder().build()),
            binder ->
                OptionalBinder.newOptionalBinder(binder, IdempotencyEngine.class)
                    .setBinding()
                    .toInstance(own));
    assertSame(own, injector.getInstance(IdempotencyEngine.class));
  }

  @Test
  void engineGivenToTheModuleIsUsed() {
    List<IdempotencyEvent> events = new CopyOnWriteArrayList<>();
    IdempotencyEngine engine = IdempotencyEngine.builder().listener(events::add).build();
    Injector injector = Guice.createInjector(new IdempotencyModule(engine));
    assertSame(engine, injector.getInstance(IdempotencyEngine.class));
    injector.getInstance(Fixtures.Payments.class).charge("e-1");
    assertEquals(IdempotencyEvent.Type.EXECUTED, events.get(events.size() - 1).type());
  }

  @Test
  void scopeAndListenersBoundByTheApplicationReachTheDefaultEngine() {
    List<IdempotencyEvent> events = new CopyOnWriteArrayList<>();
    ThreadLocal<String> tenant = new ThreadLocal<>();
    Injector injector =
        Guice.createInjector(
            new IdempotencyModule(),
            binder -> {
              binder.bind(KeyScope.class).toInstance(tenant::get);
              Multibinder.newSetBinder(binder, IdempotencyListener.class)
                  .addBinding()
                  .toInstance(events::add);
            });
    Fixtures.Payments payments = injector.getInstance(Fixtures.Payments.class);
    assertThrows(IdempotencyKeyException.class, () -> payments.charge("t-1"));
    tenant.set("tenant-a");
    String a = payments.charge("t-1");
    tenant.set("tenant-b");
    String b = payments.charge("t-1");
    assertTrue(!a.equals(b), "two tenants shared an outcome");
    assertEquals(2, payments.runs.get());
    assertTrue(events.stream().anyMatch(e -> e.type() == IdempotencyEvent.Type.EXECUTED));
  }

  @Test
  void engineIsASingletonOfTheInjector() {
    Injector injector = Guice.createInjector(new IdempotencyModule());
    assertSame(
        injector.getInstance(IdempotencyEngine.class),
        injector.getInstance(IdempotencyEngine.class));
    Injector other = Guice.createInjector(new IdempotencyModule());
    assertNotSame(
        injector.getInstance(IdempotencyEngine.class), other.getInstance(IdempotencyEngine.class));
  }

  @Test
  void installingTwiceInstallsOnce() {
    IdempotencyEngine engine = IdempotencyEngine.builder().build();
    Injector injector =
        Guice.createInjector(
            new IdempotencyModule(engine),
            new IdempotencyModule(engine),
            binder -> binder.install(new IdempotencyModule(engine)));
    Fixtures.Payments payments = injector.getInstance(Fixtures.Payments.class);
    assertEquals(payments.charge("twice-1"), payments.charge("twice-1"));
    assertEquals(1, payments.runs.get());

    Injector defaults = Guice.createInjector(new IdempotencyModule(), new IdempotencyModule());
    Fixtures.Payments other = defaults.getInstance(Fixtures.Payments.class);
    assertEquals(other.charge("twice-2"), other.charge("twice-2"));
  }

  @Test
  void twoModulesWithDifferentEnginesAreACreationError() {
    CreationException e =
        assertThrows(
            CreationException.class,
            () ->
                Guice.createInjector(
                    new IdempotencyModule(IdempotencyEngine.builder().build()),
                    new IdempotencyModule(IdempotencyEngine.builder().build())));
    assertTrue(e.getMessage().contains("IdempotencyEngine"), e.getMessage());
  }

  @Test
  void childInjectorInheritsTheInterceptorAndTheEngine() {
    Injector parent = Guice.createInjector(new IdempotencyModule());
    Injector child = parent.createChildInjector(binder -> binder.bind(Fixtures.Payments.class));
    assertSame(
        parent.getInstance(IdempotencyEngine.class), child.getInstance(IdempotencyEngine.class));
    Fixtures.Payments payments = child.getInstance(Fixtures.Payments.class);
    assertEquals(payments.charge("child-1"), payments.charge("child-1"));
    assertEquals(1, payments.runs.get());
  }

  @Test
  void siblingChildInjectorsMayEachInstallItWithTheirOwnEngine() {
    Injector parent = Guice.createInjector();
    // Bound in the child: a just-in-time binding would be made in the parent, which has no
    // interceptor.
    Injector left =
        parent.createChildInjector(
            new IdempotencyModule(), binder -> binder.bind(Fixtures.Payments.class));
    Injector right = parent.createChildInjector(new IdempotencyModule());
    assertNotSame(
        left.getInstance(IdempotencyEngine.class), right.getInstance(IdempotencyEngine.class));
    Fixtures.Payments payments = left.getInstance(Fixtures.Payments.class);
    assertEquals(payments.charge("left-1"), payments.charge("left-1"));
    assertEquals(1, payments.runs.get());
  }

  @Test
  void installingInParentAndChildIsACreationError() {
    Injector parent = Guice.createInjector(new IdempotencyModule());
    assertThrows(
        CreationException.class, () -> parent.createChildInjector(new IdempotencyModule()));
  }

  @Test
  void bridgeMethodOfAGenericOverrideIsInterceptedOnce() {
    List<IdempotencyEvent> events = new CopyOnWriteArrayList<>();
    IdempotencyEngine engine = IdempotencyEngine.builder().listener(events::add).build();
    Injector injector = Guice.createInjector(new IdempotencyModule(engine));
    Fixtures.StringHandler handler = injector.getInstance(Fixtures.StringHandler.class);
    Fixtures.Handler<String> generic = handler;
    assertEquals(generic.handle("h-1"), generic.handle("h-1"));
    assertEquals(1, handler.runs.get());
    List<IdempotencyEvent> executed =
        events.stream().filter(e -> e.type() == IdempotencyEvent.Type.EXECUTED).toList();
    assertEquals(1, executed.size(), events::toString);
    assertTrue(
        executed.get(0).namespace().endsWith("handle(java.lang.String)"), executed::toString);
  }
}
