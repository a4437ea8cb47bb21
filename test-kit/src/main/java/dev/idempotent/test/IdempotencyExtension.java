package dev.idempotent.test;

import dev.idempotent.IdempotencyEngine;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The JUnit Jupiter extension of the test kit: before each test it creates a fresh {@link
 * IdempotencyTester} (a new engine, store and {@link FakeTicker}), wires it into the adapters, and
 * after the test closes it, which gives the adapters back what they had. Records never leak from
 * one test into another.
 *
 * <pre>{@code
 * @ExtendWith(IdempotencyExtension.class)
 * class PaymentServiceTest {
 *   @Test
 *   void aRetryIsReplayed(IdempotencyTester idempotency) {
 *     PaymentService payments = new PaymentService(new CardGateway());   // woven
 *     idempotency.assertRetryReturnsSameResult(() -> payments.charge(request));
 *   }
 * }
 * }</pre>
 *
 * <p>Test methods, {@code @BeforeEach} and {@code @AfterEach} methods receive the tester, its
 * {@link IdempotencyEngine} or its {@link FakeTicker} as parameters; fields marked {@link
 * InjectIdempotency} receive them too. Other settings come through {@link #with(Consumer)} and
 * {@code @RegisterExtension}.
 *
 * <p><b>Which adapters allow parallel test classes.</b> The engine of a programmatic operation and
 * of a Guice injector built with {@link IdempotencyTestModule} belongs to the test, so such tests
 * run in parallel freely. {@code IdempotentAspect}'s engine is one per JVM: while one test holds
 * it, another test that wires it fails at once with an {@link IllegalStateException} naming both
 * tests. Give every test class that calls woven methods
 * {@code @ResourceLock(IdempotencyExtension.ASPECT)} (JUnit then never runs two of them at once),
 * and turn the aspect off ({@code with(t -> t.aspect(false))}) in classes that call no woven
 * method.
 *
 * <p><b>Spring.</b> In a test class that JUnit runs with Spring's extension
 * ({@code @SpringBootTest}, {@code @SpringJUnitConfig}) and whose context imports {@link
 * IdempotencyTestConfiguration}, the tester is bound to the context before each test and unbound
 * after, so the context's {@code @Idempotent} beans run on the test's engine although Spring reuses
 * the context (with the context's codec, key scope and {@code idempotent.*} defaults). A Spring
 * test whose context has an {@code IdempotencyEngine} but not that configuration fails before the
 * test with the fix. A context serves one test at a time: when test classes run in parallel, put
 * {@code @ResourceLock(IdempotencyExtension.SPRING)} on each that imports the configuration.
 *
 * <p>Thread-safe; one instance may serve many test classes.
 */
public final class IdempotencyExtension
    implements BeforeEachCallback, AfterEachCallback, ParameterResolver {
  /**
   * The name of the JVM-wide resource the aspect's engine is, for {@code @ResourceLock}: test
   * classes that call woven methods and carry {@code @ResourceLock(IdempotencyExtension.ASPECT)}
   * never run at the same time.
   */
  public static final String ASPECT = "dev.idempotent.aspectj.IdempotentAspect";

  /**
   * The name of the resource a Spring test context's {@code @Idempotent} beans are, for
   * {@code @ResourceLock}: test classes that import {@link IdempotencyTestConfiguration} and carry
   * {@code @ResourceLock(IdempotencyExtension.SPRING)} never run at the same time.
   */
  public static final String SPRING = "dev.idempotent.test.IdempotencyTestConfiguration";

  private static final String SPRING_EXTENSION =
      "org.springframework.test.context.junit.jupiter.SpringExtension";

  /** Whether spring-test (and with it spring-context) can be loaded next to the kit. */
  private static final boolean SPRING_AVAILABLE =
      loadable(SPRING_EXTENSION) && loadable("org.springframework.context.ApplicationContext");

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(IdempotencyExtension.class);

  private final Consumer<IdempotencyTester.Builder> settings;

  /** An extension with the default settings; what {@code @ExtendWith} creates. */
  public IdempotencyExtension() {
    this(b -> {});
  }

  private IdempotencyExtension(Consumer<IdempotencyTester.Builder> settings) {
    this.settings = settings;
  }

  /**
   * An extension whose testers are built with more settings, for {@code @RegisterExtension}:
   *
   * <pre>{@code
   * @RegisterExtension
   * static IdempotencyExtension idempotency =
   *     IdempotencyExtension.with(t -> t.serializing(false).engine(e -> e.defaultTtl(ttl)));
   * }</pre>
   *
   * @param settings applied to each tester's builder before it is built
   * @return the extension
   */
  public static IdempotencyExtension with(Consumer<IdempotencyTester.Builder> settings) {
    return new IdempotencyExtension(Objects.requireNonNull(settings, "settings"));
  }

  @Override
  public void beforeEach(ExtensionContext context) throws Exception {
    // The Spring context first: starting it configures the aspect with the context's engine, which
    // the tester then takes over and gives back.
    Object spring = springTest(context) ? SpringWiring.find(context) : null;
    IdempotencyTester.Builder builder = IdempotencyTester.builder().name(context.getUniqueId());
    if (spring != null) {
      builder.engine(SpringWiring.engineSettings(spring));
    }
    settings.accept(builder);
    IdempotencyTester tester = builder.build();
    context.getStore(NAMESPACE).put(IdempotencyTester.class, tester);
    if (spring != null) {
      tester.attach(SpringWiring.bind(spring, tester));
    }
    for (Object instance : context.getRequiredTestInstances().getAllInstances()) {
      inject(instance, tester);
    }
  }

  @Override
  public void afterEach(ExtensionContext context) {
    IdempotencyTester tester =
        context.getStore(NAMESPACE).remove(IdempotencyTester.class, IdempotencyTester.class);
    if (tester != null) {
      tester.close();
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == IdempotencyTester.class
        || type == IdempotencyEngine.class
        || type == FakeTicker.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    IdempotencyTester tester =
        context.getStore(NAMESPACE).get(IdempotencyTester.class, IdempotencyTester.class);
    if (tester == null) {
      throw new ParameterResolutionException(
          "IdempotencyExtension gives a fresh tester to each test: "
              + parameter.getParameter()
              + " of "
              + parameter.getDeclaringExecutable()
              + " can only be resolved in a test method, @BeforeEach or @AfterEach method, not in"
              + " a constructor or @BeforeAll method");
    }
    return part(parameter.getParameter().getType(), tester);
  }

  /** Whether Spring wiring can apply: the kit's Spring classes load and Spring runs the test. */
  static boolean springWiringAvailable() {
    return SPRING_AVAILABLE;
  }

  private static boolean springTest(ExtensionContext context) {
    if (!SPRING_AVAILABLE) {
      return false;
    }
    for (Optional<Class<?>> c = context.getTestClass();
        c.isPresent();
        c = Optional.ofNullable(c.get().getEnclosingClass())) {
      for (ExtendWith with :
          AnnotationSupport.findRepeatableAnnotations(c.get(), ExtendWith.class)) {
        for (Class<?> extension : with.value()) {
          if (extension.getName().equals(SPRING_EXTENSION)) {
            return true;
          }
        }
      }
    }
    return false;
  }

  private static boolean loadable(String name) {
    try {
      Class.forName(name, false, IdempotencyExtension.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  private static Object part(Class<?> type, IdempotencyTester tester) {
    if (type == IdempotencyEngine.class) {
      return tester.engine();
    }
    if (type == FakeTicker.class) {
      return tester.ticker();
    }
    return tester;
  }

  private static void inject(Object instance, IdempotencyTester tester)
      throws IllegalAccessException {
    for (Class<?> c = instance.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
      for (Field field : c.getDeclaredFields()) {
        if (!field.isAnnotationPresent(InjectIdempotency.class)) {
          continue;
        }
        Class<?> type = field.getType();
        int modifiers = field.getModifiers();
        if (Modifier.isStatic(modifiers)
            || Modifier.isFinal(modifiers)
            || !(type == IdempotencyTester.class
                || type == IdempotencyEngine.class
                || type == FakeTicker.class)) {
          throw new ExtensionConfigurationException(
              "@InjectIdempotency on "
                  + c.getName()
                  + "."
                  + field.getName()
                  + ": the field must be an instance field, not final, of type IdempotencyTester,"
                  + " IdempotencyEngine or FakeTicker; it is "
                  + Modifier.toString(modifiers)
                  + " "
                  + type.getName());
        }
        field.setAccessible(true);
        field.set(instance, part(type, tester));
      }
    }
  }
}
