package dev.idempotent.internal;

import java.lang.reflect.Method;

/**
 * The call an interceptor-style adapter ({@link Protocol#invoke}) is about to run the body of, on
 * this thread: when that body is the woven advice of the same method (a Guice- or proxy-intercepted
 * instance of a woven class), the advice's {@link Protocol#begin(Policy, Object[])} finds its
 * method and arguments here and runs the body directly instead of the protocol again. Only {@code
 * begin} consumes a claim and only {@code invoke} makes one, so a body that calls its own method
 * again (through either kind of adapter) never finds a claim of its own call: the woven advice
 * makes none and clears the outer one while its body runs, and an interceptor never takes one.
 */
final class AdapterClaim {
  private static final ThreadLocal<LocalCall> CLAIM = new ThreadLocal<>();

  /**
   * Whether any claim was ever made in this class loader: until an interceptor-style adapter runs,
   * the woven advice need not look for one.
   */
  private static volatile boolean claimsMade;

  private AdapterClaim() {}

  /** The claim on this thread now, to restore when a call that starts now ends. */
  static LocalCall current() {
    return CLAIM.get();
  }

  /** Puts {@code call} on this thread (null clears it). */
  static void set(LocalCall call) {
    if (call != null && !claimsMade) {
      claimsMade = true;
    }
    CLAIM.set(call);
  }

  /**
   * Whether the call of {@code method} with {@code args} is the one an outer adapter claimed on
   * this thread; if so the claim is consumed.
   */
  static boolean takenByOuterAdapter(Method method, Object[] args) {
    if (!claimsMade) {
      return false;
    }
    LocalCall claim = CLAIM.get();
    if (claim == null || !claim.policy.method.equals(method)) {
      return false;
    }
    Object[] claimedArgs = claim.claimArgs;
    if (claimedArgs.length != args.length) {
      return false;
    }
    for (int i = 0; i < args.length; i++) {
      if (claimedArgs[i] != args[i] && !sameBoxedPrimitive(claimedArgs[i], args[i])) {
        return false;
      }
    }
    CLAIM.set(null);
    return true;
  }

  /**
   * Whether two arguments are the same primitive value boxed twice: each adapter boxes a primitive
   * argument on its own, and boxes of larger values are distinct objects.
   */
  private static boolean sameBoxedPrimitive(Object a, Object b) {
    return a != null
        && b != null
        && a.getClass() == b.getClass()
        && (a instanceof Number || a instanceof Character || a instanceof Boolean)
        && a.getClass().getName().startsWith("java.lang.")
        && a.equals(b);
  }
}
