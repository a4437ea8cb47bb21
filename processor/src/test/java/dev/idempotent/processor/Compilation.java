package dev.idempotent.processor;

import dev.idempotent.IdempotencyDefinitionException;
import dev.idempotent.IdempotencyEngine;
import dev.idempotent.Idempotent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import javax.annotation.processing.Processor;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Compiles one in-memory source file with javac through {@code javax.tools}, the way a user's build
 * does, and keeps what the compiler said. Class files go to a fresh folder, so the compiled classes
 * can be loaded and handed to the engine to compare its run-time verdict with the processor's.
 */
final class Compilation {
  /** A diagnostic as a test compares it: kind, line, column and message. */
  record Message(Diagnostic.Kind kind, long line, long column, String text) {
    @Override
    public String toString() {
      return kind + " " + line + ":" + column + " " + text;
    }
  }

  /** Where class files go: under the module's build folder, which surefire runs in. */
  private static final Path OUTPUT = Path.of("target", "compiled-by-tests");

  private final String source;
  private final Path classes;
  private final boolean success;
  private final List<Message> messages;

  private Compilation(String source, Path classes, boolean success, List<Message> messages) {
    this.source = source;
    this.classes = classes;
    this.success = success;
    this.messages = messages;
  }

  /** Compiles {@code source} (of class {@code binaryName}) with the processor given directly. */
  static Compilation withProcessor(String binaryName, String source) {
    return compile(binaryName, source, List.of(new IdempotentProcessor()), List.of());
  }

  /** Compiles without any annotation processing, as a build without the processor does. */
  static Compilation withoutProcessor(String binaryName, String source) {
    return compile(binaryName, source, List.of(), List.of("-proc:none"));
  }

  /** Compiles with javac's own discovery over the given processor path and no other setup. */
  static Compilation discovering(String binaryName, String source, List<Path> processorPath) {
    List<String> options = new ArrayList<>();
    if (!processorPath.isEmpty()) {
      options.add("-processorpath");
      options.add(
          processorPath.stream().map(Path::toString).collect(Collectors.joining(pathSeparator())));
    }
    return compile(binaryName, source, null, options);
  }

  private static Compilation compile(
      String binaryName, String source, List<Processor> processors, List<String> extraOptions) {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, null, null)) {
      Path classes = Files.createTempDirectory(Files.createDirectories(OUTPUT), "classes");
      List<String> options = new ArrayList<>();
      options.addAll(List.of("-parameters", "-classpath", location(Idempotent.class).toString()));
      options.addAll(List.of("-d", classes.toString()));
      options.addAll(extraOptions);
      JavaCompiler.CompilationTask task =
          javac.getTask(
              null,
              new IsolatedProcessorPath(files),
              diagnostics,
              options,
              null,
              List.of(new Source(binaryName, source)));
      if (processors != null) {
        task.setProcessors(processors);
      }
      boolean success = task.call();
      List<Message> messages =
          diagnostics.getDiagnostics().stream()
              .map(
                  d ->
                      new Message(
                          d.getKind(),
                          d.getLineNumber(),
                          d.getColumnNumber(),
                          d.getMessage(Locale.ROOT)))
              .collect(Collectors.toList());
      return new Compilation(source, classes, success, messages);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Where a class was loaded from: a folder of classes or a jar. */
  static Path location(Class<?> type) {
    try {
      return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String pathSeparator() {
    return System.getProperty("path.separator");
  }

  boolean success() {
    return success;
  }

  List<Message> messages() {
    return messages;
  }

  /** The errors and warnings; javac's notes (such as about deprecation) are left out. */
  List<Message> problems() {
    return messages.stream()
        .filter(m -> m.kind() == Diagnostic.Kind.ERROR || m.kind() == Diagnostic.Kind.WARNING)
        .collect(Collectors.toList());
  }

  /** The 1-based line of the first line of the source that contains {@code text}. */
  long lineOf(String text) {
    String[] lines = source.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      if (lines[i].contains(text)) {
        return i + 1;
      }
    }
    throw new IllegalArgumentException("no line contains " + text);
  }

  /** The 1-based column where {@code text} starts on {@code line}. */
  long columnOf(long line, String text) {
    String content = source.split("\n", -1)[(int) line - 1];
    int index = content.indexOf(text);
    if (index < 0) {
      throw new IllegalArgumentException("line " + line + " does not contain " + text);
    }
    return index + 1;
  }

  /**
   * What {@link IdempotencyEngine#check} says at run time about the compiled method {@code name} of
   * class {@code binaryName}: the message of its {@link IdempotencyDefinitionException}, or null
   * when it accepts the method.
   */
  String runtimeVerdict(String binaryName, String name) {
    try (URLClassLoader loader =
        new URLClassLoader(
            new URL[] {classes.toUri().toURL()}, Compilation.class.getClassLoader())) {
      Class<?> type = Class.forName(binaryName, false, loader);
      Method method =
          Arrays.stream(type.getDeclaredMethods())
              .filter(m -> m.getName().equals(name))
              .findFirst()
              .orElseThrow(() -> new IllegalArgumentException("no method " + name));
      IdempotencyEngine.builder().build().check(method);
      return null;
    } catch (IdempotencyDefinitionException e) {
      return e.getMessage();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException("the class was not compiled: " + messages, e);
    }
  }

  /**
   * Loads annotation processors from the processor path (or, without one, the class path) alone, as
   * a build's javac does, instead of also from this test's own class path, which holds the
   * processor.
   */
  private static final class IsolatedProcessorPath
      extends ForwardingJavaFileManager<StandardJavaFileManager> {
    IsolatedProcessorPath(StandardJavaFileManager files) {
      super(files);
    }

    @Override
    public ClassLoader getClassLoader(Location location) {
      List<URL> urls = new ArrayList<>();
      Iterable<? extends Path> paths = fileManager.getLocationAsPaths(location);
      if (paths != null) {
        for (Path path : paths) {
          try {
            urls.add(path.toUri().toURL());
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
      }
      return new URLClassLoader(urls.toArray(new URL[0]), ClassLoader.getPlatformClassLoader());
    }
  }

  /** A source file held in memory. */
  private static final class Source extends SimpleJavaFileObject {
    private final String text;

    Source(String binaryName, String text) {
      super(
          URI.create("string:///" + binaryName.replace('.', '/') + Kind.SOURCE.extension),
          Kind.SOURCE);
      this.text = text;
    }

    @Override
    public CharSequence getCharContent(boolean ignoreEncodingErrors) {
      return text;
    }
  }
}
