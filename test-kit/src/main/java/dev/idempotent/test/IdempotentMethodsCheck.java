package dev.idempotent.test;

import dev.idempotent.Idempotent;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.StringJoiner;

/**
 * Proves that every {@code @Idempotent} method under some packages is protected: woven by
 * idempotent-aspectj (it carries the weaver's {@code @WovenIdempotent} marker), or intercepted by a
 * container. A method that is neither runs unprotected, silently; this check makes that a failing
 * test.
 *
 * <pre>{@code
 * IdempotentMethodsCheck.inPackages("com.example.payments").assertWoven();
 * IdempotentMethodsCheck.inPackages("com.example")
 *     .assertWovenOrIntercepted(GuiceInterception.of(injector));
 * }</pre>
 *
 * <p>Classes are found in the class path directories and jars of the thread's context class loader
 * and loaded without being initialised (no static initialiser runs). Under load-time weaving the
 * classes are woven as they load, so the check sees what the application sees. Immutable and
 * thread-safe.
 */
public final class IdempotentMethodsCheck {
  private static final String WOVEN = "dev.idempotent.aspectj.WovenIdempotent";

  private final List<String> packages;
  private final ClassLoader loader;

  private IdempotentMethodsCheck(List<String> packages, ClassLoader loader) {
    this.packages = packages;
    this.loader = loader;
  }

  /**
   * A check of the classes in {@code packages} and their subpackages.
   *
   * @throws IllegalArgumentException when no package is given, or one is blank
   */
  public static IdempotentMethodsCheck inPackages(String... packages) {
    List<String> names = List.copyOf(Arrays.asList(packages));
    if (names.isEmpty() || names.stream().anyMatch(String::isBlank)) {
      throw new IllegalArgumentException(
          "IdempotentMethodsCheck.inPackages: give one or more package names, such as"
              + " \"com.example.payments\"; was "
              + names);
    }
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    return new IdempotentMethodsCheck(
        names, loader != null ? loader : IdempotentMethodsCheck.class.getClassLoader());
  }

  /** This check, reading classes through {@code loader} instead of the context class loader. */
  public IdempotentMethodsCheck using(ClassLoader loader) {
    return new IdempotentMethodsCheck(packages, Objects.requireNonNull(loader, "loader"));
  }

  /**
   * The {@code @Idempotent} methods declared in the packages (bridge and synthetic methods left
   * out), sorted by class and name.
   *
   * @throws AssertionError when a class cannot be loaded or inspected
   */
  public List<Method> idempotentMethods() {
    return scan().methods();
  }

  /** The classes of the packages, and their {@code @Idempotent} methods. */
  private record Scan(List<Class<?>> classes, List<Method> methods) {}

  private Scan scan() {
    List<Class<?>> classes = new ArrayList<>();
    List<Method> methods = new ArrayList<>();
    List<String> unreadable = new ArrayList<>();
    for (String packageName : packages) {
      for (String className : ClassPathScanner.classNames(loader, packageName)) {
        try {
          Class<?> type = Class.forName(className, false, loader);
          for (Method method : type.getDeclaredMethods()) {
            if (!method.isBridge()
                && !method.isSynthetic()
                && method.isAnnotationPresent(Idempotent.class)) {
              methods.add(method);
            }
          }
          classes.add(type);
        } catch (ClassNotFoundException | LinkageError e) {
          unreadable.add(className + " (" + e + ")");
        }
      }
    }
    if (!unreadable.isEmpty()) {
      throw new AssertionError(
          "IdempotentMethodsCheck could not load or inspect these classes under "
              + packages
              + ", so it cannot tell whether their @Idempotent methods are protected:\n  "
              + String.join("\n  ", unreadable));
    }
    methods.sort(
        Comparator.comparing((Method m) -> m.getDeclaringClass().getName())
            .thenComparing(Method::getName)
            .thenComparing(m -> Arrays.toString(m.getParameterTypes())));
    return new Scan(classes, methods);
  }

  /**
   * Asserts that every {@code @Idempotent} method under the packages is woven.
   *
   * @throws AssertionError listing each method that is not, and when the packages hold no
   *     {@code @Idempotent} method at all (a misspelt package would otherwise pass)
   */
  public void assertWoven() {
    check(null);
  }

  /**
   * Asserts that every {@code @Idempotent} method under the packages is woven or intercepted by
   * {@code interception}.
   *
   * @throws AssertionError listing each method that is neither, with the reason, and when the
   *     packages hold no {@code @Idempotent} method at all
   */
  public void assertWovenOrIntercepted(Interception interception) {
    check(Objects.requireNonNull(interception, "interception"));
  }

  private void check(Interception interception) {
    Scan scan = scan();
    if (scan.methods().isEmpty()) {
      throw new AssertionError(
          "IdempotentMethodsCheck found no @Idempotent method under "
              + packages
              + " through "
              + loader
              + "; check the package names");
    }
    List<String> problems = new ArrayList<>();
    for (Method method : scan.methods()) {
      String why = whyUnprotected(method, interception);
      if (why != null) {
        problems.add(describe(method) + ": " + why);
      }
    }
    problems.addAll(UnannotatedOverrides.in(scan.classes()));
    if (!problems.isEmpty()) {
      throw new AssertionError(
          problems.size()
              + (problems.size() == 1 ? " method under " : " methods under ")
              + packages
              + " run unprotected ("
              + scan.methods().size()
              + " @Idempotent methods found):\n  - "
              + String.join("\n  - ", problems)
              + "\nWeave their classes with idempotent-aspectj: aspectj-maven-plugin with"
              + " idempotent-aspectj as an <aspectLibrary> (for test classes too, in its"
              + " test-compile goal), or load-time weaving with -javaagent:aspectjweaver.jar"
              + (interception == null ? "." : "; or let the container intercept them."));
    }
  }

  private static String whyUnprotected(Method method, Interception interception) {
    if (Modifier.isAbstract(method.getModifiers())) {
      return "it is abstract, and implementations do not inherit the annotation; put @Idempotent"
          + " on the implementing method";
    }
    if (isWoven(method)) {
      return null;
    }
    if (interception == null) {
      return "not woven";
    }
    String why = interception.whyNotIntercepted(method);
    return why == null ? null : "not woven, and not intercepted: " + why;
  }

  private static boolean isWoven(Method method) {
    for (Annotation annotation : method.getDeclaredAnnotations()) {
      if (annotation.annotationType().getName().equals(WOVEN)) {
        return true;
      }
    }
    return false;
  }

  static String describe(Method method) {
    StringJoiner params = new StringJoiner(", ", "(", ")");
    for (Class<?> type : method.getParameterTypes()) {
      params.add(type.getSimpleName());
    }
    return method.getDeclaringClass().getName() + "." + method.getName() + params;
  }

  @Override
  public String toString() {
    return "IdempotentMethodsCheck" + packages;
  }
}
