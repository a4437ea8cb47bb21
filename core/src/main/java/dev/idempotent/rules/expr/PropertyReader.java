package dev.idempotent.rules.expr;

import java.lang.invoke.CallSite;
import java.lang.invoke.LambdaMetafactory;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandleInfo;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.function.Function;

/**
 * Reads one property of an object (a record accessor, a getter or a field) on every call of a hot
 * path: the key expression and the payload fingerprint read the arguments this way on each
 * duplicate.
 *
 * <p>A method handle that is not a constant costs several times a direct call (measured here: about
 * 5 ns against 1.8 ns, and more once one call site sees several handles). Where it may, {@link
 * #of(MethodHandle)} has {@link LambdaMetafactory} spin a small class that calls the getter
 * directly, which the JIT inlines like any call. It falls back to the handle when the getter is a
 * field, when this library cannot call the getter directly (a class it cannot access, a package not
 * exported to it), and when the getter's class comes from a class loader other than this library's
 * (or the JDK's): a spun class lives as long as this library's class loader, and would keep an
 * application's class loader from being unloaded after a redeploy. Thread-safe.
 */
public final class PropertyReader {
  private static final MethodHandles.Lookup LOOKUP = MethodHandles.lookup();
  private static final MethodType READ = MethodType.methodType(Object.class, Object.class);
  private static final MethodType FACTORY = MethodType.methodType(Function.class);

  private PropertyReader() {}

  /**
   * A function that reads the property {@code getter} reads from its argument. Exceptions the
   * getter throws reach the caller of {@code apply} unchanged, checked ones included.
   *
   * @param getter a direct handle to an instance method without parameters, or a field getter, as
   *     {@code unreflect} or {@code unreflectGetter} returns it
   */
  public static Function<Object, Object> of(MethodHandle getter) {
    Function<Object, Object> direct = spun(getter);
    return direct != null ? direct : new ThroughHandle(getter.asType(READ));
  }

  @SuppressWarnings("unchecked")
  private static Function<Object, Object> spun(MethodHandle getter) {
    MethodType type = getter.type();
    if (type.parameterCount() != 1 || type.returnType() == void.class) {
      return null;
    }
    Class<?> owner = type.parameterType(0);
    ClassLoader loader = owner.getClassLoader();
    if (loader != null && loader != PropertyReader.class.getClassLoader()) {
      return null;
    }
    try {
      MethodHandleInfo info = LOOKUP.revealDirect(getter);
      int kind = info.getReferenceKind();
      if (kind != MethodHandleInfo.REF_invokeVirtual
          && kind != MethodHandleInfo.REF_invokeInterface) {
        return null;
      }
      CallSite site =
          LambdaMetafactory.metafactory(LOOKUP, "apply", FACTORY, READ, getter, type.wrap());
      return (Function<Object, Object>) site.getTarget().invokeExact();
    } catch (Throwable cannotSpin) {
      // Not accessible from here, or not a plain method: the handle reads it.
      return null;
    }
  }

  /** Reads through the handle itself. */
  private static final class ThroughHandle implements Function<Object, Object> {
    private final MethodHandle handle;

    ThroughHandle(MethodHandle handle) {
      this.handle = handle;
    }

    @Override
    public Object apply(Object owner) {
      try {
        return (Object) handle.invokeExact(owner);
      } catch (Throwable t) {
        throw PropertyReader.<RuntimeException>sneaky(t);
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static <T extends Throwable> T sneaky(Throwable t) throws T {
    throw (T) t;
  }
}
