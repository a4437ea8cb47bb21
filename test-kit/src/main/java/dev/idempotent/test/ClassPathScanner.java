package dev.idempotent.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.List;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Lists the classes of packages (and their subpackages) as a class loader sees them, in class path
 * directories and jars, by name only: nothing is loaded here. Stateless.
 */
final class ClassPathScanner {
  private ClassPathScanner() {}

  /** The binary names of the classes under {@code packageName}, sorted. */
  static TreeSet<String> classNames(ClassLoader loader, String packageName) {
    String path = packageName.replace('.', '/');
    TreeSet<String> names = new TreeSet<>();
    try {
      Enumeration<URL> roots = loader.getResources(path);
      while (roots.hasMoreElements()) {
        URL root = roots.nextElement();
        switch (root.getProtocol()) {
          case "file" -> fromDirectory(Path.of(root.toURI()), packageName, names);
          case "jar" -> fromJar(root, path, names);
          default ->
              throw new IllegalStateException(
                  "IdempotentMethodsCheck cannot list classes at "
                      + root
                      + ": only class path directories and jars are read");
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("reading the class path under " + packageName, e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException("a class path directory has no file URI", e);
    }
    return names;
  }

  private static void fromDirectory(Path directory, String packageName, TreeSet<String> names)
      throws IOException {
    try (Stream<Path> files = Files.walk(directory)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        String relative =
            directory.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
        add(packageName.replace('.', '/') + "/" + relative, names);
      }
    }
  }

  private static void fromJar(URL root, String path, TreeSet<String> names) throws IOException {
    JarURLConnection connection = (JarURLConnection) root.openConnection();
    connection.setUseCaches(false);
    try (JarFile jar = connection.getJarFile()) {
      for (JarEntry entry : (Iterable<JarEntry>) jar.stream()::iterator) {
        if (entry.getName().startsWith(path + "/")) {
          add(entry.getName(), names);
        }
      }
    }
  }

  private static void add(String entry, TreeSet<String> names) {
    if (!entry.endsWith(".class")) {
      return;
    }
    String name = entry.substring(0, entry.length() - ".class".length()).replace('/', '.');
    if (!SKIPPED.contains(name.substring(name.lastIndexOf('.') + 1))) {
      names.add(name);
    }
  }

  private static final List<String> SKIPPED = List.of("module-info", "package-info");
}
