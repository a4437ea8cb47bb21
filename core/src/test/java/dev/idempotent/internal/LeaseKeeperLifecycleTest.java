package dev.idempotent.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.idempotent.IdempotencyEngine;
import dev.idempotent.IdempotentOperation;
import java.io.File;
import java.lang.ref.WeakReference;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The lease keeper thread lives only while an engine needs it: closing the engines (or leaving them
 * idle) ends it, a new engine starts it again, and a class loader whose engines are closed can be
 * collected. Each test runs {@link KeeperScenario} in a class loader of its own, whose keeper no
 * other test's engine keeps alive.
 */
class LeaseKeeperLifecycleTest {
  private static final long JOIN_MILLIS = TimeUnit.SECONDS.toMillis(10);

  @Test
  void closingEveryEngineEndsTheKeeperThread() throws Exception {
    try (URLClassLoader loader = isolatedLoader()) {
      AutoCloseable first = call(loader, "engineAfterOneCall", "k-1");
      AutoCloseable second = call(loader, "engineAfterOneCall", "k-2");
      Thread keeper = call(loader, "keeperThread");
      assertNotNull(keeper, "a call did not start the keeper");
      assertEquals("idempotent-lease-keeper", keeper.getName());
      assertTrue(keeper.isDaemon());

      first.close();
      assertTrue(keeper.isAlive(), "the keeper ended while an open engine still used it");
      second.close();
      keeper.join(JOIN_MILLIS);
      assertFalse(keeper.isAlive(), "the keeper outlived the last engine");
      assertNull(call(loader, "keeperThread"));
    }
  }

  @Test
  void keeperStartsAgainWhenANewEngineNeedsIt() throws Exception {
    try (URLClassLoader loader = isolatedLoader()) {
      AutoCloseable first = call(loader, "engineAfterOneCall", "k-1");
      Thread stopped = call(loader, "keeperThread");
      first.close();
      stopped.join(JOIN_MILLIS);
      assertFalse(stopped.isAlive());

      AutoCloseable next = call(loader, "engineAfterOneCall", "k-2");
      Thread restarted = call(loader, "keeperThread");
      assertNotSame(stopped, restarted);
      assertTrue(restarted.isAlive());
      next.close();
      restarted.join(JOIN_MILLIS);
      assertFalse(restarted.isAlive());
    }
  }

  @Test
  void engineLeftOpenButIdleIsLetGoAndTheKeeperEnds() throws Exception {
    try (URLClassLoader loader = isolatedLoader()) {
      call(loader, "releaseIdleEnginesAfter", 2);
      AutoCloseable neverClosed = call(loader, "engineAfterOneCall", "k-1");
      Thread keeper = call(loader, "keeperThread");
      keeper.join(JOIN_MILLIS);
      assertFalse(keeper.isAlive(), "an idle engine kept the keeper alive");

      // Its next call watches it again.
      Method execute = neverClosed.getClass().getMethod("operation", String.class, Class.class);
      Object operation = execute.invoke(neverClosed, "again", String.class);
      Object built = operation.getClass().getMethod("build").invoke(operation);
      built
          .getClass()
          .getMethod("execute", String.class, java.util.function.Supplier.class)
          .invoke(built, "k-2", (java.util.function.Supplier<String>) () -> "again");
      Thread restarted = call(loader, "keeperThread");
      assertNotNull(restarted, "the engine's next call did not start the keeper again");
      neverClosed.close();
      restarted.join(JOIN_MILLIS);
      assertFalse(restarted.isAlive());
    }
  }

  @Test
  void classLoaderOfClosedEnginesCanBeCollected() throws Exception {
    URLClassLoader loader = isolatedLoader();
    AutoCloseable engine = call(loader, "engineAfterOneCall", "k-1");
    Thread keeper = call(loader, "keeperThread");
    engine.close();
    keeper.join(JOIN_MILLIS);
    assertFalse(keeper.isAlive());
    loader.close();
    WeakReference<ClassLoader> collected = new WeakReference<>(loader);
    loader = null;
    engine = null;
    keeper = null;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    List<byte[]> pressure = new ArrayList<>();
    while (collected.get() != null && System.nanoTime() < deadline) {
      System.gc();
      pressure.add(new byte[1 << 20]);
      if (pressure.size() > 32) {
        pressure.clear();
      }
    }
    assertNull(collected.get(), "the class loader of closed engines was not collected");
  }

  @Test
  void closedEngineRefusesCallsWithoutRunningTheBody() {
    IdempotencyEngine engine = IdempotencyEngine.builder().build();
    IdempotentOperation<String> charge = engine.operation("payments.charge", String.class).build();
    AtomicInteger runs = new AtomicInteger();
    charge.execute("c-1", () -> "charged #" + runs.incrementAndGet());
    engine.close();
    engine.close();
    assertTrue(engine.isClosed());

    IllegalStateException refused =
        assertThrows(
            IllegalStateException.class,
            () -> charge.execute("c-2", () -> "charged #" + runs.incrementAndGet()));
    assertEquals(1, runs.get(), "a closed engine ran the body");
    String message = refused.getMessage();
    assertTrue(message.contains("payments.charge"), message);
    assertTrue(message.contains("is closed, so the body did not run"), message);
    assertTrue(message.contains("CaffeineIdempotencyStore"), message);
    assertTrue(message.contains("IdempotentAspect's Registration"), message);
  }

  /**
   * The test class path with only the JDK as parent: its own copy of core, and of the keeper.
   * Surefire puts the real class path in {@code java.class.path}.
   */
  private static URLClassLoader isolatedLoader() throws Exception {
    List<URL> urls = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      urls.add(Paths.get(entry).toUri().toURL());
    }
    return new URLClassLoader(urls.toArray(new URL[0]), ClassLoader.getPlatformClassLoader());
  }

  @SuppressWarnings("unchecked")
  private static <T> T call(ClassLoader loader, String step, Object... args) throws Exception {
    Class<?> scenario = Class.forName(KeeperScenario.class.getName(), true, loader);
    assertNotSame(KeeperScenario.class, scenario, "the scenario was not loaded in isolation");
    for (Method method : scenario.getMethods()) {
      if (method.getName().equals(step)) {
        try {
          return (T) method.invoke(null, args);
        } catch (InvocationTargetException e) {
          throw new AssertionError(step + " failed", e.getCause());
        }
      }
    }
    throw new IllegalArgumentException("no step " + step);
  }
}
