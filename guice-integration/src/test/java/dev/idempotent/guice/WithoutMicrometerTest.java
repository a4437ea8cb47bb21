package dev.idempotent.guice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.inject.Binding;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.multibindings.Multibinder;
import com.google.inject.spi.Element;
import com.google.inject.spi.Elements;
import dev.idempotent.IdempotencyEvent;
import dev.idempotent.IdempotencyListener;
import dev.idempotent.micrometer.MicrometerIdempotencyListener;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.File;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Micrometer and idempotent-micrometer are optional dependencies: an application without them on
 * its class path installs the module and gets protected methods, with no Micrometer binding.
 */
class WithoutMicrometerTest {

  @Test
  void moduleWorksWhenMicrometerIsNotOnTheClassPath() throws Exception {
    try (URLClassLoader loader = classPathWithoutMicrometer()) {
      assertThrows(
          ClassNotFoundException.class,
          () -> loader.loadClass("io.micrometer.core.instrument.MeterRegistry"));
      assertThrows(
          ClassNotFoundException.class,
          () -> loader.loadClass("dev.idempotent.micrometer.MicrometerIdempotencyListener"));
      Class<?> application = loader.loadClass(Application.class.getName());
      assertSame(loader, application.getClassLoader());

      @SuppressWarnings("unchecked")
      Callable<String> run = (Callable<String>) application.getDeclaredConstructor().newInstance();

      assertEquals("runs=1 events=[EXECUTED, REPLAYED] micrometer bindings=[]", run.call());
    }
  }

  /**
   * The test class path less Micrometer's jars and idempotent-micrometer, with only the JDK as
   * parent, so every class the module needs comes from here or not at all.
   */
  private static URLClassLoader classPathWithoutMicrometer() throws Exception {
    Set<Path> excluded =
        Set.of(location(MeterRegistry.class), location(MicrometerIdempotencyListener.class));
    List<URL> urls = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      Path path = Path.of(entry).toAbsolutePath();
      String name = path.getFileName().toString();
      if (!excluded.contains(path) && !name.startsWith("micrometer-")) {
        urls.add(path.toUri().toURL());
      }
    }
    return new URLClassLoader(urls.toArray(new URL[0]), ClassLoader.getPlatformClassLoader());
  }

  private static Path location(Class<?> type) throws URISyntaxException {
    return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI())
        .toAbsolutePath();
  }

  /**
   * An application run inside the class loader without Micrometer: it names no Micrometer type and
   * answers with facts the test compares as text, since no other type is shared across loaders.
   */
  public static final class Application implements Callable<String> {
    @Override
    public String call() {
      List<IdempotencyEvent.Type> events = new CopyOnWriteArrayList<>();
      Injector injector =
          Guice.createInjector(
              new IdempotencyModule(),
              binder ->
                  Multibinder.newSetBinder(binder, IdempotencyListener.class)
                      .addBinding()
                      .toInstance(event -> events.add(event.type())));
      Fixtures.Payments payments = injector.getInstance(Fixtures.Payments.class);
      payments.charge("absent-1");
      payments.charge("absent-1");

      Set<String> micrometerBindings = new TreeSet<>();
      for (Element element : Elements.getElements(new IdempotencyModule())) {
        if (element instanceof Binding<?>) {
          String key = ((Binding<?>) element).getKey().toString();
          if (key.toLowerCase(Locale.ROOT).contains("micrometer")) {
            micrometerBindings.add(key);
          }
        }
      }
      return "runs="
          + payments.runs.get()
          + " events="
          + events
          + " micrometer bindings="
          + micrometerBindings;
    }
  }
}
