package dev.idempotent.spring;

import dev.idempotent.IdempotencyEngine;
import dev.idempotent.Idempotent;
import java.lang.reflect.Method;
import java.util.function.Supplier;
import org.aopalliance.aop.Advice;
import org.springframework.aop.Pointcut;
import org.springframework.aop.support.AbstractPointcutAdvisor;
import org.springframework.aop.support.StaticMethodMatcherPointcut;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.annotation.AnnotationUtils;

/**
 * The advisor an auto-proxy creator applies to beans with {@code @Idempotent} methods, as
 * {@code @EnableCaching} applies its cache advisor: an annotation pointcut (the method of the
 * bean's own class carries {@code @Idempotent}, and idempotent-aspectj did not weave it) and {@link
 * IdempotentInterceptor} as the advice. Thread-safe.
 */
final class IdempotentAdvisor extends AbstractPointcutAdvisor {
  private static final long serialVersionUID = 1L;

  private final transient Pointcut pointcut = new AnnotatedMethods();
  private final transient IdempotentInterceptor interceptor;

  IdempotentAdvisor(
      ObjectProvider<IdempotencyEngine> engines,
      ObjectProvider<Supplier<IdempotencyEngine>> resolvers,
      int order) {
    this.interceptor = new IdempotentInterceptor(engines, resolvers);
    setOrder(order);
  }

  @Override
  public Pointcut getPointcut() {
    return pointcut;
  }

  @Override
  public Advice getAdvice() {
    return interceptor;
  }

  /** Matches the methods {@link IdempotentMethods#intercepted} accepts. */
  private static final class AnnotatedMethods extends StaticMethodMatcherPointcut {
    AnnotatedMethods() {
      setClassFilter(type -> AnnotationUtils.isCandidateClass(type, Idempotent.class));
    }

    @Override
    public boolean matches(Method method, Class<?> targetClass) {
      Class<?> type = targetClass != null ? targetClass : method.getDeclaringClass();
      return IdempotentMethods.intercepted(IdempotentMethods.specific(method, type));
    }

    @Override
    public String toString() {
      return "@Idempotent methods of the bean class (not bridge, not woven by idempotent-aspectj)";
    }
  }
}
