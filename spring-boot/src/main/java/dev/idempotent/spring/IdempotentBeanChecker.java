package dev.idempotent.spring;

import dev.idempotent.IdempotencyDefinitionException;
import dev.idempotent.IdempotencyEngine;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.BeanInitializationException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.util.ReflectionUtils;

/**
 * Fails start-up where {@code @Idempotent} would silently not work: on each bean as it is created,
 * an annotated method a proxy cannot intercept (private, final, static), or an annotation on an
 * interface or overridden method that the running method does not carry; and, once all singletons
 * exist, every intercepted method's annotation is checked by the engine (a wrong expression or
 * duration), so a mistake fails start-up instead of the first call. Beans created later are checked
 * when they are created. Thread-safe.
 */
final class IdempotentBeanChecker implements BeanPostProcessor, SmartInitializingSingleton {
  private final ObjectProvider<IdempotencyEngine> engines;
  private final Set<Class<?>> seen = ConcurrentHashMap.newKeySet();
  private final Map<Method, String> unchecked = new LinkedHashMap<>();
  private IdempotencyEngine engine;

  IdempotentBeanChecker(ObjectProvider<IdempotencyEngine> engines) {
    this.engines = engines;
  }

  @Override
  public Object postProcessBeforeInitialization(Object bean, String beanName) {
    Class<?> type = AopUtils.getTargetClass(bean);
    if (!seen.add(type)) {
      return bean;
    }
    List<String> problems = IdempotentMethods.problems(type);
    if (!problems.isEmpty()) {
      throw new BeanInitializationException(
          "Bean '" + beanName + "': " + String.join("\n", problems));
    }
    List<Method> intercepted = new ArrayList<>();
    ReflectionUtils.doWithMethods(
        type,
        method -> {
          Method specific = IdempotentMethods.specific(method, type);
          if (specific == method && IdempotentMethods.intercepted(method)) {
            intercepted.add(method);
          }
        });
    if (!intercepted.isEmpty()) {
      check(beanName, intercepted);
    }
    return bean;
  }

  private synchronized void check(String beanName, List<Method> methods) {
    if (engine == null) {
      methods.forEach(method -> unchecked.putIfAbsent(method, beanName));
      return;
    }
    List<String> problems = new ArrayList<>();
    for (Method method : methods) {
      definitionProblem(method, beanName, problems);
    }
    fail(problems);
  }

  @Override
  public synchronized void afterSingletonsInstantiated() {
    engine = engines.getObject();
    List<String> problems = new ArrayList<>();
    unchecked.forEach((method, beanName) -> definitionProblem(method, beanName, problems));
    unchecked.clear();
    fail(problems);
  }

  private void definitionProblem(Method method, String beanName, List<String> problems) {
    try {
      engine.check(method);
    } catch (IdempotencyDefinitionException e) {
      problems.add("Bean '" + beanName + "': " + e.getMessage());
    }
  }

  private static void fail(List<String> problems) {
    if (!problems.isEmpty()) {
      throw new IdempotencyDefinitionException(String.join("\n", problems));
    }
  }
}
