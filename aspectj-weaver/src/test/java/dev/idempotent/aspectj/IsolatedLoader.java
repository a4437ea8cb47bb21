package dev.idempotent.aspectj;

import java.io.File;
import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/**
 * The test class path in a class loader of its own, with only the JDK as parent: a fresh copy of
 * the aspect and its static state. Surefire puts the real class path in {@code java.class.path}.
 */
final class IsolatedLoader extends URLClassLoader {
  IsolatedLoader() {
    super(testClassPath(), ClassLoader.getPlatformClassLoader());
  }

  private static URL[] testClassPath() {
    List<URL> urls = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      try {
        urls.add(Paths.get(entry).toUri().toURL());
      } catch (java.net.MalformedURLException e) {
        throw new IllegalStateException("class path entry " + entry, e);
      }
    }
    return urls.toArray(new URL[0]);
  }

  /** Calls the public static no-argument method {@code step} of this loader's copy of a class. */
  @SuppressWarnings("unchecked")
  <T> T call(Class<?> type, String step) throws Exception {
    Class<?> copy = Class.forName(type.getName(), true, this);
    if (copy == type) {
      throw new IllegalStateException(type + " was not loaded in isolation");
    }
    try {
      return (T) copy.getMethod(step).invoke(null);
    } catch (InvocationTargetException e) {
      throw new AssertionError(step + " failed", e.getCause());
    }
  }
}
