package dev.idempotent.test;

import dev.idempotent.IdempotencyEngine;
import dev.idempotent.KeyScope;
import dev.idempotent.codec.OutcomeCodec;
import java.time.Duration;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.context.ApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.test.context.junit.jupiter.SpringExtension;

/**
 * The kit's wiring into one Spring test's application context: its {@link SpringTesterBinding}, and
 * the context's engine settings the test's engine should share. Loaded only when spring-test is on
 * the class path, and only for test classes that JUnit runs with Spring's extension; {@link
 * IdempotencyExtension} sees it as {@code Object}, so it loads without Spring.
 */
final class SpringWiring {
  private final ApplicationContext context;
  private final SpringTesterBinding binding;

  private SpringWiring(ApplicationContext context, SpringTesterBinding binding) {
    this.context = context;
    this.binding = binding;
  }

  /**
   * The wiring of the test's context, or null when the context has no {@code @Idempotent} engine at
   * all. Loads the context if Spring has not yet.
   *
   * @throws ExtensionConfigurationException when the context has an engine but not {@link
   *     IdempotencyTestConfiguration}: its beans would run on the context's engine, shared by every
   *     test, and the kit's assertions would not see them
   */
  static Object find(ExtensionContext test) {
    ApplicationContext context = SpringExtension.getApplicationContext(test);
    SpringTesterBinding binding = context.getBeanProvider(SpringTesterBinding.class).getIfUnique();
    if (binding != null) {
      return new SpringWiring(context, binding);
    }
    if (context.getBeanNamesForType(IdempotencyEngine.class, true, false).length > 0) {
      throw new ExtensionConfigurationException(
          "IdempotencyExtension on the Spring test "
              + test.getRequiredTestClass().getName()
              + ": its application context has an IdempotencyEngine but not the test kit's"
              + " wiring, so its @Idempotent beans would run on the context's engine, shared by"
              + " every test that reuses the cached context, and not on this test's fresh engine"
              + " and clock. Add @Import(IdempotencyTestConfiguration.class) to the test class.");
    }
    return null;
  }

  /**
   * What the test's engine takes from the context so that it keys, encodes and expires as the
   * application's engine does: the context's {@link OutcomeCodec} and {@link KeyScope} beans (when
   * it has one of each) and the starter's {@code idempotent.default-ttl}, {@code default-lease},
   * {@code default-wait-timeout} and {@code hash-keys} properties (when set).
   */
  static Consumer<IdempotencyEngine.Builder> engineSettings(Object wiring) {
    ApplicationContext context = ((SpringWiring) wiring).context;
    OutcomeCodec codec = context.getBeanProvider(OutcomeCodec.class).getIfUnique();
    KeyScope scope = context.getBeanProvider(KeyScope.class).getIfUnique();
    Environment env = context.getEnvironment();
    Duration ttl = env.getProperty("idempotent.default-ttl", Duration.class);
    Duration lease = env.getProperty("idempotent.default-lease", Duration.class);
    Duration wait = env.getProperty("idempotent.default-wait-timeout", Duration.class);
    Boolean hashKeys = env.getProperty("idempotent.hash-keys", Boolean.class);
    return engine -> {
      if (codec != null) {
        engine.codec(codec);
      }
      if (scope != null) {
        engine.scope(scope);
      }
      if (ttl != null) {
        engine.defaultTtl(ttl);
      }
      if (lease != null) {
        engine.defaultLease(lease);
      }
      if (wait != null) {
        engine.defaultWaitTimeout(wait);
      }
      if (hashKeys != null) {
        engine.hashKeys(hashKeys);
      }
    };
  }

  /** Binds {@code tester} to the context until the returned handle is closed. */
  static AutoCloseable bind(Object wiring, IdempotencyTester tester) {
    return ((SpringWiring) wiring).binding.bind(tester);
  }
}
