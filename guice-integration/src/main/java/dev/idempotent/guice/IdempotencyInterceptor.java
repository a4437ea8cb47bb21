package dev.idempotent.guice;

import dev.idempotent.IdempotencyEngine;
import dev.idempotent.PendingCall;
import jakarta.inject.Inject;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;

/**
 * Adapts Guice's {@link MethodInvocation} to {@link IdempotencyEngine#begin} and {@link
 * PendingCall}: the method, its arguments, and {@code proceed} as the body. Gets its engine through
 * {@code requestInjection}.
 */
final class IdempotencyInterceptor implements MethodInterceptor {
  private volatile IdempotencyEngine engine;

  @Inject
  void useEngine(IdempotencyEngine engine) {
    this.engine = engine;
  }

  @Override
  public Object invoke(MethodInvocation invocation) throws Throwable {
    IdempotencyEngine current = engine;
    if (current == null) {
      throw new IllegalStateException(
          "IdempotencyModule: "
              + IdempotentMethods.describe(invocation.getMethod())
              + " was called while the injector was still being created, before its engine was"
              + " injected; call @Idempotent methods only once Guice.createInjector has returned.");
    }
    // The two halves rather than invoke(method, args, invocation::proceed): a duplicate then
    // allocates no body for the call that it does not make.
    Object started = current.begin(invocation.getMethod(), invocation.getArguments());
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
}
