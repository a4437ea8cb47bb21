package dev.idempotent.test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.File;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;

/**
 * idempotent-aspectj, idempotent-guice and Spring are optional: the kit, its extension included,
 * works without them.
 */
class OptionalDependenciesTest {

  @Test
  void theTesterItsAssertionsAndTheExtensionWorkWithoutGuiceAspectJAndSpring() throws Exception {
    List<URL> urls = new ArrayList<>();
    String classPath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    for (String entry : classPath.split(File.pathSeparator)) {
      if (!entry.contains("guice")
          && !entry.contains("aspectj")
          && !entry.contains("aopalliance")
          // Spring's jars, by their repository folder (the build's own path may say "spring").
          && !entry.contains(File.separator + "springframework" + File.separator)) {
        urls.add(url(entry));
      }
    }
    assertFalse(urls.isEmpty());
    try (URLClassLoader loader =
        new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader())) {
      @SuppressWarnings("unchecked")
      Callable<String> scenario =
          (Callable<String>)
              loader
                  .loadClass(WithoutOptionalScenario.class.getName())
                  .getConstructor()
                  .newInstance();
      assertEquals("charged ch_1 1 time(s); extension: 1 passed, 0 failed", scenario.call());
    }
  }

  private static URL url(String entry) {
    try {
      return new File(entry).toURI().toURL();
    } catch (MalformedURLException e) {
      throw new IllegalArgumentException(entry, e);
    }
  }
}
