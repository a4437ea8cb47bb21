package dev.idempotent.spring;

import dev.idempotent.IdempotencyEngine;
import dev.idempotent.PendingCall;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.MethodClassKey;

/**
 * Adapts Spring AOP's {@link MethodInvocation} to {@link IdempotencyEngine#begin} and {@link
 * PendingCall}: the bean class's own annotated method, the arguments, and {@code proceed()} as the
 * body. The engine is looked up on the first call, not when the proxy is created, so that creating
 * the advisor early (auto-proxy creators do) does not create the engine and its store early. When
 * the context has a {@code Supplier<IdempotencyEngine>} bean (see {@link
 * IdempotentProxyConfiguration}), the engine is asked of it on every call instead. Thread-safe.
 */
final class IdempotentInterceptor implements MethodInterceptor {
  private final ObjectProvider<IdempotencyEngine> engines;
  private final ObjectProvider<Supplier<IdempotencyEngine>> resolvers;
  private volatile Supplier<IdempotencyEngine> resolver;

  /** Interface methods (JDK proxies) to the implementing method of each target class. */
  private final Map<MethodClassKey, Method> implementations = new ConcurrentHashMap<>();

  IdempotentInterceptor(
      ObjectProvider<IdempotencyEngine> engines,
      ObjectProvider<Supplier<IdempotencyEngine>> resolvers) {
    this.engines = engines;
    this.resolvers = resolvers;
  }

  @Override
  public Object invoke(MethodInvocation invocation) throws Throwable {
    Supplier<IdempotencyEngine> source = resolver;
    if (source == null) {
      source = resolver = resolver();
    }
    IdempotencyEngine current = source.get();
    // The two halves rather than invoke(method, args, invocation::proceed): a duplicate then
    // allocates no body for the call it does not make.
    Object started = current.begin(annotated(invocation), invocation.getArguments());
    if (!(started instanceof PendingCall)) {
      return started;
    }
    PendingCall pending = (PendingCall) started;
    Object result;
    try {
      result = invocation.proceed();
    } catch (Throwable t) {
      throw pending.failed(t);
    }
    return pending.succeeded(result);
  }

  /** The context's engine supplier if it has one, else its engine bean, looked up now and kept. */
  private Supplier<IdempotencyEngine> resolver() {
    Supplier<IdempotencyEngine> own = resolvers.getIfUnique();
    if (own != null) {
      return own;
    }
    if (resolvers.stream().findAny().isPresent()) {
      throw new IllegalStateException(
          "@Idempotent proxies: the application context has several Supplier<IdempotencyEngine>"
              + " beans and none is @Primary; keep one, or mark the one to use @Primary");
    }
    IdempotencyEngine engine = engines.getObject();
    return () -> engine;
  }

  /**
   * The annotated method of the target class. A class-based (CGLIB) proxy is called with it
   * already; a JDK proxy is called with the interface's method, and a bridge method stands for the
   * generic method it calls.
   */
  private Method annotated(MethodInvocation invocation) {
    Method method = invocation.getMethod();
    if (!method.getDeclaringClass().isInterface() && !method.isBridge()) {
      return method;
    }
    Object target = invocation.getThis();
    Class<?> targetClass = target != null ? AopUtils.getTargetClass(target) : null;
    return implementations.computeIfAbsent(
        new MethodClassKey(method, targetClass),
        key -> IdempotentMethods.specific(method, targetClass));
  }
}
