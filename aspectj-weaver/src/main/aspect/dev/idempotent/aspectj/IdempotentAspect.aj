package dev.idempotent.aspectj;

import dev.idempotent.IdempotencyEngine;
import dev.idempotent.Idempotent;
import dev.idempotent.PendingCall;
import java.lang.reflect.Method;
import java.util.Objects;
import org.aspectj.lang.JoinPoint;
import org.aspectj.lang.annotation.SuppressAjWarnings;
import org.aspectj.lang.reflect.MethodSignature;

/**
 * Makes {@link Idempotent} effective in woven classes: around every execution of an annotated
 * method it hands the method and its arguments to the {@link IdempotencyEngine} and runs the body
 * only when the engine says so. Weave it at build time (aspectj-maven-plugin with this jar as an
 * {@code <aspectLibrary>}) or at load time ({@code -javaagent:aspectjweaver.jar}, which finds this
 * jar's {@code META-INF/aop.xml}).
 *
 * <p>Woven methods use the engine given to {@link #configure(IdempotencyEngine)}; until then, a
 * default engine with an in-memory Caffeine store, created on first use. The aspect holds no other
 * state; it is thread-safe.
 *
 * <p>The advice is code style so that ajc inlines it into each woven method: it reads the method
 * from the static join point (no {@code JoinPoint} object) and calls {@code proceed} itself (no
 * closure). Methods with up to three parameters bind them directly, so the only allocation on the
 * call path is the argument array the engine needs; methods with more fall back to {@code
 * thisJoinPoint.getArgs()}. Checked exceptions of the body pass through unchanged and are never
 * wrapped.
 */
public aspect IdempotentAspect {
  private static final Object[] NO_ARGS = {};

  private static volatile IdempotencyEngine engine;

  /** Every execution of an {@code @Idempotent} method: instance or static, of any visibility. */
  pointcut idempotentExecution() : execution(@Idempotent * *(..));

  declare @method : @Idempotent * *(..) : @WovenIdempotent;

  // Abstract methods have no execution join point, so ajc sees them only where they are called.
  declare error : call(@Idempotent abstract * *(..))
      : "@Idempotent on an abstract or interface method has no effect: no execution of it exists"
          + " and implementations do not inherit the annotation. Remove it here and put"
          + " @Idempotent on the method of the class that implements it.";

  declare error : execution(@Idempotent (java.util.concurrent.Future+
          && !java.util.concurrent.CompletableFuture
          && !java.util.concurrent.CompletionStage) *(..))
      || execution(@Idempotent (java.util.concurrent.CompletionStage+
          && !java.util.concurrent.CompletableFuture
          && !java.util.concurrent.CompletionStage) *(..))
      || execution(@Idempotent (java.util.stream.BaseStream+ || java.util.Iterator+
          || java.util.Spliterator+ || java.io.InputStream+ || java.io.Reader+) *(..))
      : "@Idempotent method returns a type whose outcome cannot be recorded and replayed (a"
          + " stream, iterator, reader or a Future other than CompletableFuture/CompletionStage);"
          + " return a value, Optional<T>, CompletionStage<T> or CompletableFuture<T> instead.";

  @SuppressAjWarnings("adviceDidNotMatch")
  Object around() : idempotentExecution() && args() {
    Object started = begin(thisJoinPointStaticPart, NO_ARGS);
    if (!(started instanceof PendingCall)) {
      return started;
    }
    PendingCall call = (PendingCall) started;
    Object result;
    try {
      result = proceed();
    } catch (Throwable t) {
      throw rethrow(call.failed(t));
    }
    return call.succeeded(result);
  }

  @SuppressAjWarnings("adviceDidNotMatch")
  Object around(Object a0) : idempotentExecution() && args(a0) {
    Object started = begin(thisJoinPointStaticPart, new Object[] {a0});
    if (!(started instanceof PendingCall)) {
      return started;
    }
    PendingCall call = (PendingCall) started;
    Object result;
    try {
      result = proceed(a0);
    } catch (Throwable t) {
      throw rethrow(call.failed(t));
    }
    return call.succeeded(result);
  }

  @SuppressAjWarnings("adviceDidNotMatch")
  Object around(Object a0, Object a1) : idempotentExecution() && args(a0, a1) {
    Object started = begin(thisJoinPointStaticPart, new Object[] {a0, a1});
    if (!(started instanceof PendingCall)) {
      return started;
    }
    PendingCall call = (PendingCall) started;
    Object result;
    try {
      result = proceed(a0, a1);
    } catch (Throwable t) {
      throw rethrow(call.failed(t));
    }
    return call.succeeded(result);
  }

  @SuppressAjWarnings("adviceDidNotMatch")
  Object around(Object a0, Object a1, Object a2) : idempotentExecution() && args(a0, a1, a2) {
    Object started = begin(thisJoinPointStaticPart, new Object[] {a0, a1, a2});
    if (!(started instanceof PendingCall)) {
      return started;
    }
    PendingCall call = (PendingCall) started;
    Object result;
    try {
      result = proceed(a0, a1, a2);
    } catch (Throwable t) {
      throw rethrow(call.failed(t));
    }
    return call.succeeded(result);
  }

  @SuppressAjWarnings("adviceDidNotMatch")
  Object around() : idempotentExecution() && args(*, *, *, *, ..) {
    Object started = begin(thisJoinPointStaticPart, thisJoinPoint.getArgs());
    if (!(started instanceof PendingCall)) {
      return started;
    }
    PendingCall call = (PendingCall) started;
    Object result;
    try {
      result = proceed();
    } catch (Throwable t) {
      throw rethrow(call.failed(t));
    }
    return call.succeeded(result);
  }

  /**
   * Sets the engine that every woven method uses from now on, for example one with a Redis store.
   * Call it once at start-up, before the first call of a woven method; calls already running finish
   * with the engine they started with.
   *
   * @param engine the engine
   * @throws NullPointerException when {@code engine} is null
   */
  public static void configure(IdempotencyEngine engine) {
    IdempotentAspect.engine = Objects.requireNonNull(engine, "engine");
  }

  /**
   * The engine woven methods use: the configured one, or the default engine (in-memory Caffeine
   * store), created now if no call created it yet. Pass it to other adapters, such as {@code new
   * IdempotencyModule(IdempotentAspect.engine())}, so that all share one store.
   */
  public static IdempotencyEngine engine() {
    IdempotencyEngine current = engine;
    return current != null ? current : defaultEngine();
  }

  private static synchronized IdempotencyEngine defaultEngine() {
    if (engine == null) {
      engine = IdempotencyEngine.builder().build();
    }
    return engine;
  }

  private static Object begin(JoinPoint.StaticPart joinPoint, Object[] args) {
    Method method = ((MethodSignature) joinPoint.getSignature()).getMethod();
    try {
      return engine().begin(method, args);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  /**
   * Throws {@code t} as it is, checked or not: the advice cannot declare the body's checked
   * exceptions, but the woven method does, so they reach its caller unchanged.
   */
  @SuppressWarnings("unchecked")
  private static <T extends Throwable> RuntimeException rethrow(Throwable t) throws T {
    throw (T) t;
  }
}
