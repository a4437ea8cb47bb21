package dev.idempotent.test;

import com.google.inject.Binding;
import com.google.inject.Injector;
import com.google.inject.spi.ConstructorBinding;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.Objects;
import org.aopalliance.intercept.MethodInterceptor;

/**
 * The methods a Guice injector intercepts with idempotent-guice's interceptor, read from its
 * constructor bindings: a class Guice constructs (bound, linked to, or created just in time before
 * the check), whose method carries the interceptor. Requires idempotent-guice on the test class
 * path. Immutable and thread-safe.
 */
public final class GuiceInterception implements Interception {
  private static final String INTERCEPTOR = "dev.idempotent.guice.IdempotencyInterceptor";

  private final Injector injector;

  private GuiceInterception(Injector injector) {
    this.injector = injector;
  }

  /**
   * The interception of {@code injector}.
   *
   * @param injector the injector whose constructor bindings to read
   * @return its interception, reading the bindings on each question
   * @throws NullPointerException when {@code injector} is null
   */
  public static GuiceInterception of(Injector injector) {
    return new GuiceInterception(Objects.requireNonNull(injector, "injector"));
  }

  @Override
  public String whyNotIntercepted(Method method) {
    Class<?> type = method.getDeclaringClass();
    boolean constructed = false;
    for (Binding<?> binding : injector.getAllBindings().values()) {
      if (binding instanceof ConstructorBinding<?> constructor
          && type.isAssignableFrom(binding.getKey().getTypeLiteral().getRawType())) {
        constructed = true;
        if (intercepts(constructor, method)) {
          return null;
        }
      }
    }
    if (!constructed) {
      return "the injector constructs no "
          + type.getName()
          + " (it is unbound, or bound to an instance or a provider, and Guice intercepts only"
          + " instances it constructs); bind it, or bind an interface to it";
    }
    int modifiers = method.getModifiers();
    if (Modifier.isPrivate(modifiers)
        || Modifier.isStatic(modifiers)
        || Modifier.isFinal(modifiers)
        || Modifier.isFinal(type.getModifiers())) {
      return "Guice cannot intercept a private, static or final method or a method of a final"
          + " class";
    }
    return "Guice constructs "
        + type.getName()
        + " but does not intercept the method: install IdempotencyModule (or"
        + " IdempotencyTestModule) in the injector";
  }

  private static boolean intercepts(ConstructorBinding<?> binding, Method method) {
    List<MethodInterceptor> interceptors = binding.getMethodInterceptors().get(method);
    if (interceptors != null) {
      for (MethodInterceptor interceptor : interceptors) {
        if (interceptor.getClass().getName().equals(INTERCEPTOR)) {
          return true;
        }
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return "GuiceInterception[" + injector + "]";
  }
}
