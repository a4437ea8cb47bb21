package dev.idempotent.spring;

import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.idempotent.IdempotencyDefinitionException;
import dev.idempotent.IdempotencyEngine;
import dev.idempotent.testing.behaviour.IdempotentAdapterBehaviour;
import dev.idempotent.testing.behaviour.MisdefinedFixture;
import dev.idempotent.testing.behaviour.MisdefinedOperations;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.springframework.aop.support.AopUtils;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.core.env.MapPropertySource;

/**
 * The behaviour suite through the Spring proxy adapter: each fixture is a bean of a real
 * application context that imports {@link IdempotentProxyConfiguration} with the suite's engine as
 * its engine bean, and the suite calls the CGLIB proxy Spring made of it ({@link
 * SpringJdkProxyBehaviourTest}: the JDK proxy).
 */
class SpringProxyBehaviourTest extends IdempotentAdapterBehaviour {
  private final List<AnnotationConfigApplicationContext> contexts = new ArrayList<>();

  @Override
  protected <T> T protect(
      IdempotencyEngine engine, Class<T> api, Class<? extends T> implementation) {
    AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
    contexts.add(context);
    context
        .getEnvironment()
        .getPropertySources()
        .addFirst(
            new MapPropertySource(
                "proxying", Map.of("spring.aop.proxy-target-class", classProxies())));
    context.registerBean(IdempotencyEngine.class, () -> engine);
    context.register(IdempotentProxyConfiguration.class, implementation);
    context.refresh();
    T bean = context.getBean(api);
    if (classProxies() ? !AopUtils.isCglibProxy(bean) : !AopUtils.isJdkDynamicProxy(bean)) {
      throw new AssertionError(implementation + " was not proxied as expected: " + bean.getClass());
    }
    return bean;
  }

  /** Whether Spring proxies classes (CGLIB, Spring Boot's default) or interfaces (JDK proxies). */
  boolean classProxies() {
    return true;
  }

  @Override
  protected Object callStatic(IdempotencyEngine engine, Method method, Object... args) {
    Assumptions.abort(
        "A Spring proxy cannot intercept static methods (the start-up check refuses them);"
            + " weave them with idempotent-aspectj");
    return null;
  }

  /** The proxy configuration checks every annotated bean method when the context starts. */
  @Override
  protected IdempotencyDefinitionException expectDefinitionError(
      IdempotencyEngine engine, String method, Function<MisdefinedOperations, ?> call) {
    Exception failure =
        assertThrows(
            Exception.class,
            () -> protect(engine, MisdefinedOperations.class, MisdefinedFixture.class));
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof IdempotencyDefinitionException && t.getMessage().contains(method + "(")) {
        return (IdempotencyDefinitionException) t;
      }
    }
    throw new AssertionError("no definition error for " + method + " in " + failure, failure);
  }

  @AfterEach
  void closeContexts() {
    contexts.forEach(AnnotationConfigApplicationContext::close);
  }
}
