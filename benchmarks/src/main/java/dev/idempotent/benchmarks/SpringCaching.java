package dev.idempotent.benchmarks;

import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.cache.caffeine.CaffeineCacheManager;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The peer a user would pick instead: Spring's {@code @Cacheable} with a {@code #param} key over a
 * {@link CaffeineCacheManager}, on a real proxied bean from an {@link
 * AnnotationConfigApplicationContext}.
 */
final class SpringCaching {
  private SpringCaching() {}

  /** The cached service; Spring proxies it with a CGLIB subclass. */
  public static class SpringOrderService {
    /** The same body as the engine's methods, cached by the command's id. */
    @Cacheable(cacheNames = "orders", key = "#cmd.id")
    public Receipt place(PlaceOrder cmd) {
      return Receipt.accept(cmd);
    }
  }

  /** The application context's configuration. */
  @Configuration(proxyBeanMethods = false)
  @EnableCaching
  public static class Config {
    /** A Caffeine cache manager with the same expiry as the engine's ttl. */
    @Bean
    public CacheManager cacheManager() {
      CaffeineCacheManager manager = new CaffeineCacheManager("orders");
      manager.setCaffeine(
          Caffeine.newBuilder().expireAfterWrite(Duration.ofHours(24)).maximumSize(1 << 16));
      return manager;
    }

    /** The proxied bean. */
    @Bean
    public SpringOrderService orderService() {
      return new SpringOrderService();
    }
  }

  /** Starts a context; the caller closes it. */
  static AnnotationConfigApplicationContext start() {
    return new AnnotationConfigApplicationContext(Config.class);
  }
}
