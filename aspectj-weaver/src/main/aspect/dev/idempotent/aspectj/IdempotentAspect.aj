package dev.idempotent.aspectj;

import dev.idempotent.IdempotencyEngine;
import dev.idempotent.Idempotent;
import dev.idempotent.PendingCall;
import java.lang.reflect.Method;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;
import org.aspectj.lang.JoinPoint;
import org.aspectj.lang.annotation.SuppressAjWarnings;
import org.aspectj.lang.reflect.MethodSignature;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes {@link Idempotent} effective in woven classes: around every execution of an annotated
 * method it hands the method and its arguments to the {@link IdempotencyEngine} and runs the body
 * only when the engine says so. Weave it at build time (aspectj-maven-plugin with this jar as an
 * {@code <aspectLibrary>}) or at load time ({@code -javaagent:aspectjweaver.jar}, which finds this
 * jar's {@code META-INF/aop.xml}).
 *
 * <p>Woven methods use the engine given to {@link #configure(IdempotencyEngine)} while its {@link
 * Registration} is open; otherwise a default engine with an in-memory Caffeine store, created on
 * first use. The aspect holds no other state; it is thread-safe.
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

  private static final Logger LOG = LoggerFactory.getLogger(IdempotentAspect.class);

  /** The open registrations, oldest first; the last one's engine is current. Also the lock. */
  private static final Deque<Registration> REGISTRATIONS = new ArrayDeque<>();

  /** The engine woven methods use: the last open registration's, the default one, or null. */
  private static volatile IdempotencyEngine engine;

  /** The engine created on first use when none was configured; kept to be put back. */
  private static IdempotencyEngine defaultEngine;

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
   * Sets the engine that every woven method uses from now on, for example one with a Redis store,
   * until the returned registration is closed. Call it once at start-up, before the first call of a
   * woven method; calls already running finish with the engine they started with.
   *
   * <p>Woven classes are JVM-wide (more exactly, class-loader-wide), so there is one current engine
   * for all of them. Registrations stack: closing the current one puts back the engine that was
   * current before it (a still open registration's, or the default engine); closing one that is no
   * longer current only removes it, so that it is not put back later. A second {@code configure}
   * with a different engine while the first registration is open, typically a second application
   * context in the same JVM, takes over every woven method, including those the first context
   * serves: it is logged as a WARN naming both engines' stores. Configuring the engine that is
   * already current, or replacing the default engine, is silent.
   *
   * <pre>{@code
   * IdempotentAspect.Registration registration = IdempotentAspect.configure(engine);
   * // ... at shutdown, before closing the engine:
   * registration.close();
   * engine.close();
   * }</pre>
   *
   * @param engine the engine
   * @return the registration; close it when the engine stops serving woven methods
   * @throws NullPointerException when {@code engine} is null
   */
  public static Registration configure(IdempotencyEngine engine) {
    Objects.requireNonNull(engine, "IdempotentAspect.configure: engine");
    Registration registration = new Registration(engine);
    Registration replaced;
    synchronized (REGISTRATIONS) {
      replaced = REGISTRATIONS.peekLast();
      REGISTRATIONS.addLast(registration);
      IdempotentAspect.engine = engine;
    }
    if (replaced != null && replaced.engine != engine) {
      LOG.warn(
          "IdempotentAspect.configure replaced {} (store {}), which is still registered, with {}"
              + " (store {}): from now on every woven @Idempotent method uses the second engine,"
              + " also those of whoever configured the first, and the two keep records in"
              + " different stores. Use one engine per JVM for woven classes, or close the first"
              + " registration (its application context) before configuring another.",
          describe(replaced.engine),
          replaced.engine.store(),
          describe(engine),
          engine.store());
    }
    return registration;
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

  private static IdempotencyEngine defaultEngine() {
    synchronized (REGISTRATIONS) {
      if (engine == null) {
        if (defaultEngine == null) {
          defaultEngine = IdempotencyEngine.builder().build();
        }
        engine = defaultEngine;
      }
      return engine;
    }
  }

  private static String describe(IdempotencyEngine engine) {
    return "IdempotencyEngine@" + Integer.toHexString(System.identityHashCode(engine));
  }

  /**
   * What {@link IdempotentAspect#configure(IdempotencyEngine)} returns: closing it stops its engine
   * from serving woven methods. Thread-safe; {@link #close()} may be called any number of times.
   */
  public static final class Registration implements AutoCloseable {
    private final IdempotencyEngine engine;
    private boolean closed;

    private Registration(IdempotencyEngine engine) {
      this.engine = engine;
    }

    /** The engine this registration gave to woven methods. */
    public IdempotencyEngine engine() {
      return engine;
    }

    /**
     * Whether {@link #close()} was called.
     *
     * @return true once closed
     */
    public boolean isClosed() {
      synchronized (REGISTRATIONS) {
        return closed;
      }
    }

    /**
     * Withdraws this registration. When its engine is the current one of woven methods, the engine
     * that was current before it comes back: the engine of the open registration before this one,
     * or, when there is none, the default in-memory engine (created again on first use). When
     * another registration has replaced it in the meantime, the current engine stays. A second call
     * does nothing. It does not close the engine.
     */
    @Override
    public void close() {
      synchronized (REGISTRATIONS) {
        if (closed) {
          return;
        }
        closed = true;
        boolean current = REGISTRATIONS.peekLast() == this;
        REGISTRATIONS.removeLastOccurrence(this);
        if (current) {
          Registration previous = REGISTRATIONS.peekLast();
          IdempotentAspect.engine = previous != null ? previous.engine : defaultEngine;
        }
      }
    }

    @Override
    public String toString() {
      return "IdempotentAspect.Registration["
          + describe(engine)
          + ", store "
          + engine.store()
          + (closed ? ", closed]" : "]");
    }
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
