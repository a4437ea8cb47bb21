package dev.idempotent.benchmarks;

import dev.idempotent.IdempotencyEngine;
import dev.idempotent.Idempotent;
import dev.idempotent.spring.IdempotentProxyConfiguration;
import org.springframework.aop.support.AopUtils;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;

/**
 * The Spring proxy adapter of idempotent-spring-boot-starter on the same Spring Framework as the
 * {@code @Cacheable} baseline: an {@link AnnotationConfigApplicationContext} that imports {@link
 * IdempotentProxyConfiguration} (what the starter's auto-configuration imports) with the
 * benchmark's engine as its engine bean, so each call of an {@code @Idempotent} method goes through
 * Spring's CGLIB proxy, its method invocation and the starter's interceptor.
 */
final class SpringProxying {
  private SpringProxying() {}

  /** The proxied service; the same bodies as {@link OrderService}, and as the cached bean. */
  public static class SpringIdempotentOrderService {
    /** The payload check off: the key alone decides. */
    @Idempotent(keyExpr = "#cmd.id", ttl = "24h", validatePayload = false)
    public Receipt place(PlaceOrder cmd) {
      return Receipt.accept(cmd);
    }

    /** The payload check on (the default). */
    @Idempotent(keyExpr = "#cmd.id", ttl = "24h")
    public Receipt placeChecked(PlaceOrder cmd) {
      return Receipt.accept(cmd);
    }
  }

  /**
   * Starts a context whose engine bean is {@code engine}; the caller closes it (which closes the
   * engine too, as Spring closes every {@code AutoCloseable} bean it was given).
   *
   * @throws IllegalStateException when the service is not a CGLIB proxy
   */
  static AnnotationConfigApplicationContext start(IdempotencyEngine engine) {
    AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
    context.registerBean(IdempotencyEngine.class, () -> engine, d -> d.setDestroyMethodName(""));
    context.register(IdempotentProxyConfiguration.class, SpringIdempotentOrderService.class);
    context.refresh();
    if (!AopUtils.isCglibProxy(context.getBean(SpringIdempotentOrderService.class))) {
      context.close();
      throw new IllegalStateException("the Spring service is not proxied");
    }
    return context;
  }
}
