package dev.idempotent.benchmarks;

import dev.idempotent.IdempotencyEngine;
import dev.idempotent.PendingCall;
import java.lang.reflect.Method;

/**
 * The code that ajc inlines into a woven {@code @Idempotent} method of one parameter, written out
 * by hand: the Method comes from the static join point (resolved once), the only allocation of the
 * advice is the argument array, and the body runs in place of {@code proceed(a0)}. This is what the
 * {@code idempotent-aspectj} aspect's code-style around advice does, minus the woven class itself.
 */
final class WovenCall {
  private WovenCall() {}

  /** A woven {@code place(cmd)} whose body is {@link Receipt#accept}. */
  static Object place(IdempotencyEngine engine, Method method, PlaceOrder cmd) throws Throwable {
    Object started = engine.begin(method, new Object[] {cmd});
    if (!(started instanceof PendingCall)) {
      return started;
    }
    PendingCall call = (PendingCall) started;
    Object result;
    try {
      result = Receipt.accept(cmd);
    } catch (Throwable t) {
      throw call.failed(t);
    }
    return call.succeeded(result);
  }

  /**
   * What a Guice interceptor does: hands the engine the arguments and a way to proceed. Guice's own
   * {@code MethodInvocation} is not part of this figure.
   */
  static Object intercepted(IdempotencyEngine engine, Method method, PlaceOrder cmd)
      throws Throwable {
    return engine.invoke(method, new Object[] {cmd}, () -> Receipt.accept(cmd));
  }
}
