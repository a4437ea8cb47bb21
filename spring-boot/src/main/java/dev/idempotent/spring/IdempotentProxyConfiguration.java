package dev.idempotent.spring;

import dev.idempotent.IdempotencyEngine;
import java.util.function.Supplier;
import org.springframework.aop.Advisor;
import org.springframework.aop.config.AopConfigUtils;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.context.annotation.Role;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotationMetadata;

/**
 * Makes {@code @Idempotent} effective on the beans of an application context through Spring AOP
 * proxies, with the context's {@link IdempotencyEngine} bean: an advisor with an annotation
 * pointcut, an auto-proxy creator when the context has none, and a start-up check of every
 * annotated bean method. No weaving is needed.
 *
 * <p>Spring Boot applications get it from the starter's auto-configuration. A plain Spring
 * application imports it and defines the engine:
 *
 * <pre>{@code
 * @Configuration
 * @Import(IdempotentProxyConfiguration.class)
 * class IdempotencyConfig {
 *   @Bean
 *   IdempotencyEngine idempotencyEngine() {
 *     return IdempotencyEngine.builder().build();
 *   }
 * }
 * }</pre>
 *
 * <p>A proxy sees only calls that come through it: a call from one method of a bean to another
 * through {@code this} runs unprotected. Weave such classes with idempotent-aspectj at compile
 * time; woven methods are left to the woven advice, so a call runs the protocol once. Class-based
 * (CGLIB) proxies are used unless {@code spring.aop.proxy-target-class=false}, as in Spring Boot.
 * The advisor's order is {@code idempotent.proxy.order} (default {@link #DEFAULT_ORDER}).
 *
 * <p><b>Which engine.</b> The proxies use the context's {@link IdempotencyEngine} bean, looked up
 * on the first call and kept. A context that has a {@code Supplier<IdempotencyEngine>} bean (one,
 * or one {@code @Primary}) makes them ask it on every call instead: idempotent-test's {@code
 * IdempotencyTestConfiguration} defines one that answers the current test's engine, so a test
 * context that Spring caches and reuses runs each test on a fresh engine, store and clock. The type
 * is the JDK's so that the test kit needs no dependency on this starter. Applications do not need
 * such a bean; what holds the engine directly (the aspect's registration, the HTTP filter) keeps
 * the engine bean.
 */
@Configuration(proxyBeanMethods = false)
@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
@Import(IdempotentProxyConfiguration.AutoProxy.class)
public class IdempotentProxyConfiguration {
  /**
   * The advisor's default order: just above the lowest precedence of {@code @Transactional}'s
   * advisor, so the idempotency check wraps the transaction and a record completes only after the
   * transaction committed.
   */
  public static final int DEFAULT_ORDER = Ordered.LOWEST_PRECEDENCE - 1;

  /** Creates the configuration; Spring does. */
  public IdempotentProxyConfiguration() {}

  /**
   * The advisor; it looks the engine up on the first call of an annotated method.
   *
   * @param engines the context's engine, looked up lazily
   * @param resolvers a {@code Supplier<IdempotencyEngine>} bean that chooses the engine per call,
   *     if the context has one (test contexts do)
   * @param environment reads {@code idempotent.proxy.order}
   * @return the advisor, an infrastructure bean
   */
  @Bean
  @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
  public static Advisor idempotentAdvisor(
      ObjectProvider<IdempotencyEngine> engines,
      ObjectProvider<Supplier<IdempotencyEngine>> resolvers,
      Environment environment) {
    return new IdempotentAdvisor(
        engines,
        resolvers,
        environment.getProperty("idempotent.proxy.order", Integer.class, DEFAULT_ORDER));
  }

  /**
   * Fails start-up when an {@code @Idempotent} bean method would run unprotected or is wrongly
   * annotated.
   *
   * @param engines the context's engine, looked up once all singletons exist
   * @return the checking post-processor
   */
  @Bean
  @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
  public static BeanPostProcessor idempotentBeanChecker(ObjectProvider<IdempotencyEngine> engines) {
    return new IdempotentBeanChecker(engines);
  }

  /**
   * Registers Spring's infrastructure auto-proxy creator unless the context has one already (or
   * escalates to it), as {@code @EnableCaching} does, and makes it proxy classes unless {@code
   * spring.aop.proxy-target-class=false}.
   */
  static final class AutoProxy implements ImportBeanDefinitionRegistrar, EnvironmentAware {
    private Environment environment;

    @Override
    public void setEnvironment(Environment environment) {
      this.environment = environment;
    }

    @Override
    public void registerBeanDefinitions(
        AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
      AopConfigUtils.registerAutoProxyCreatorIfNecessary(registry);
      if (environment.getProperty("spring.aop.proxy-target-class", Boolean.class, true)) {
        AopConfigUtils.forceAutoProxyCreatorToUseClassProxying(registry);
      }
    }
  }
}
