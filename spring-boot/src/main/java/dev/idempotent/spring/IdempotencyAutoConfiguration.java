package dev.idempotent.spring;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.idempotent.IdempotencyEngine;
import dev.idempotent.IdempotencyListener;
import dev.idempotent.KeyScope;
import dev.idempotent.aspectj.IdempotentAspect;
import dev.idempotent.codec.JacksonOutcomeCodec;
import dev.idempotent.codec.OutcomeCodec;
import dev.idempotent.http.server.IdempotencyFilter;
import dev.idempotent.http.server.RequestScope;
import dev.idempotent.micrometer.MicrometerIdempotencyListener;
import dev.idempotent.store.CaffeineIdempotencyStore;
import dev.idempotent.store.IdempotencyStore;
import io.micrometer.core.instrument.MeterRegistry;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.util.ClassUtils;
import tools.jackson.databind.json.JsonMapper;

/**
 * Auto-configuration of {@code @Idempotent} for Spring Boot: one {@link IdempotencyEngine} per
 * application context, built from the {@link IdempotencyProperties idempotent.*} settings and the
 * context's beans, and the proxies of {@link IdempotentProxyConfiguration} that run annotated bean
 * methods through it.
 *
 * <ul>
 *   <li>Store: the application's {@link IdempotencyStore} bean if it has one; otherwise the one
 *       {@code idempotent.store.type} names, or with {@code auto} (the default): Redis when
 *       idempotent-redis is on the class path and the application has a Lettuce connection factory
 *       or sets {@code idempotent.store.redis.uri}, else JDBC when idempotent-jdbc is on the class
 *       path and the application has a DataSource, else the in-memory Caffeine store. The choice is
 *       logged at INFO.
 *   <li>Engine: the application's {@link IdempotencyEngine} bean if it has one; otherwise built
 *       with the store, a {@link KeyScope} bean, every {@link IdempotencyListener} bean (in order)
 *       and the default durations, fail-open and hash-keys settings. Closed with the context (as
 *       Spring closes any {@code AutoCloseable} bean, the application's own engine too), before the
 *       store it uses.
 *   <li>Codec: the application's {@link OutcomeCodec} bean; otherwise, when the context has a
 *       Jackson 3 {@code JsonMapper} (Spring Boot 4), a {@link Jackson3OutcomeCodec} over it, or
 *       when it has a Jackson 2 {@code ObjectMapper} (Spring Boot 3.5), {@code
 *       JacksonOutcomeCodec.of(objectMapper)}; otherwise core's default Jackson 2 codec.
 *   <li>HTTP: with idempotent-http-server on the class path, in a servlet web application with
 *       {@code idempotent.http.routes} set, its {@code IdempotencyFilter} for those routes.
 *   <li>Metrics: with idempotent-micrometer on the class path and a {@code MeterRegistry} bean, a
 *       {@link MicrometerIdempotencyListener} bean (unless the application defines one).
 *   <li>AspectJ: with idempotent-aspectj on the class path, woven methods use this context's engine
 *       while it runs.
 * </ul>
 *
 * <p>{@code idempotent.enabled=false} turns all of it off.
 */
@AutoConfiguration(
    afterName = {
      // Spring Boot 4
      "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration",
      "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
      "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration",
      "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
      "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration",
      // Spring Boot 3.5
      "org.springframework.boot.autoconfigure.data.redis.RedisAutoConfiguration",
      "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration",
      "org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration",
      "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration",
      "org.springframework.boot.actuate.autoconfigure.metrics.export.simple.SimpleMetricsExportAutoConfiguration"
    })
@ConditionalOnBooleanProperty(name = "idempotent.enabled", matchIfMissing = true)
@EnableConfigurationProperties(IdempotencyProperties.class)
@Import(IdempotentProxyConfiguration.class)
public class IdempotencyAutoConfiguration {
  private static final Logger LOG = LoggerFactory.getLogger(IdempotencyAutoConfiguration.class);

  /** Creates the configuration; Spring Boot does. */
  public IdempotencyAutoConfiguration() {}

  /**
   * The store, unless the application defines one: see the class description for the choice.
   *
   * @throws IllegalStateException when {@code idempotent.store.type} names a store whose module or
   *     connection the application lacks; the message says what to add
   */
  @Bean
  @ConditionalOnMissingBean({IdempotencyStore.class, IdempotencyEngine.class})
  IdempotencyStore idempotencyStore(
      IdempotencyProperties properties,
      ListableBeanFactory beans,
      ObjectProvider<DataSource> dataSources,
      ApplicationContext context) {
    IdempotencyProperties.Store settings = properties.getStore();
    // The context's class loader, as Boot's class conditions use it.
    ClassLoader loader = context.getClassLoader();
    boolean redisModule = ClassUtils.isPresent(RedisStores.STORE_CLASS, loader);
    boolean jdbcModule = ClassUtils.isPresent(JdbcStores.STORE_CLASS, loader);
    switch (settings.getType()) {
      case REDIS:
        require(redisModule, "redis", "idempotent-redis");
        LOG.info("idempotent.store.type=redis: records in Redis");
        return RedisStores.create(settings.getRedis(), beans);
      case JDBC:
        require(jdbcModule, "jdbc", "idempotent-jdbc");
        DataSource dataSource = dataSources.getIfUnique();
        if (dataSource == null) {
          throw new IllegalStateException(
              "idempotent.store.type=jdbc needs one DataSource bean (or a @Primary one); the"
                  + " context has none or several. Define one, or define an IdempotencyStore bean.");
        }
        LOG.info(
            "idempotent.store.type=jdbc: records in table {}", settings.getJdbc().getTableName());
        return JdbcStores.create(settings.getJdbc(), dataSource);
      case CAFFEINE:
        return caffeine(settings, "idempotent.store.type=caffeine");
      default:
        String redis = redisModule ? RedisStores.source(settings.getRedis(), beans, loader) : null;
        if (redis != null) {
          LOG.info(
              "idempotent.store.type=auto: records in Redis, through {} (set idempotent.store.type"
                  + " to choose another store)",
              redis);
          return RedisStores.create(settings.getRedis(), beans);
        }
        DataSource data = jdbcModule ? dataSources.getIfUnique() : null;
        if (data != null) {
          LOG.info(
              "idempotent.store.type=auto: records in table {} of the application's DataSource"
                  + " (set idempotent.store.type to choose another store)",
              settings.getJdbc().getTableName());
          return JdbcStores.create(settings.getJdbc(), data);
        }
        return caffeine(
            settings,
            "idempotent.store.type=auto: no Redis or JDBC store available (add idempotent-redis or"
                + " idempotent-jdbc)");
    }
  }

  private static IdempotencyStore caffeine(IdempotencyProperties.Store settings, String why) {
    LOG.info(
        "{}: records in this JVM's memory, lost on restart and not shared with other instances",
        why);
    return CaffeineIdempotencyStore.builder()
        .maximumSize(settings.getCaffeine().getMaximumSize())
        .build();
  }

  private static void require(boolean present, String type, String artifact) {
    if (!present) {
      throw new IllegalStateException(
          "idempotent.store.type="
              + type
              + " needs dev.idempotent:"
              + artifact
              + " on the class path; add the dependency, or choose another store type (auto,"
              + " caffeine, redis, jdbc).");
    }
  }

  /**
   * The context's engine, unless the application defines one.
   *
   * @param properties the {@code idempotent.*} settings
   * @param store the store bean
   * @param scope the application's key scope, if any
   * @param listeners the application's listeners, in order
   * @param codec how outcomes become JSON for Redis and JDBC: the application's own codec bean, or
   *     one over its Jackson mapper
   * @return the engine
   */
  @Bean
  @ConditionalOnMissingBean
  IdempotencyEngine idempotencyEngine(
      IdempotencyProperties properties,
      IdempotencyStore store,
      ObjectProvider<KeyScope> scope,
      ObjectProvider<IdempotencyListener> listeners,
      ObjectProvider<OutcomeCodec> codec) {
    IdempotencyEngine.Builder builder =
        IdempotencyEngine.builder()
            .store(store)
            .defaultTtl(properties.getDefaultTtl())
            .defaultLease(properties.getDefaultLease())
            .defaultWaitTimeout(properties.getDefaultWaitTimeout())
            .failOpen(properties.isFailOpen())
            .hashKeys(properties.isHashKeys());
    scope.ifAvailable(builder::scope);
    codec.ifAvailable(builder::codec);
    listeners.orderedStream().forEach(builder::listener);
    return builder.build();
  }

  /**
   * Spring Boot 4: outcomes through the application's Jackson 3 mapper. Declared before {@link
   * Jackson2Codec}, so an application that has both mappers gets this one.
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "tools.jackson.databind.json.JsonMapper")
  static class Jackson3Codec {
    @Bean
    @ConditionalOnBean(JsonMapper.class)
    @ConditionalOnMissingBean(OutcomeCodec.class)
    OutcomeCodec idempotencyOutcomeCodec(JsonMapper mapper) {
      return Jackson3OutcomeCodec.of(mapper);
    }
  }

  /** Spring Boot 3.5: outcomes through the application's Jackson 2 mapper. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "com.fasterxml.jackson.databind.ObjectMapper")
  static class Jackson2Codec {
    @Bean
    @ConditionalOnBean(ObjectMapper.class)
    @ConditionalOnMissingBean(OutcomeCodec.class)
    OutcomeCodec idempotencyOutcomeCodec(ObjectMapper mapper) {
      return JacksonOutcomeCodec.of(mapper);
    }
  }

  /**
   * The Idempotency-Key servlet filter of idempotent-http-server, registered for the routes of
   * {@code idempotent.http.routes} in a servlet web application, with the context's engine and its
   * {@code RequestScope} bean if it has one.
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
  @ConditionalOnClass(name = {HttpFilters.FILTER_CLASS, "jakarta.servlet.Filter"})
  @ConditionalOnProperty(prefix = "idempotent.http", name = "routes[0].path")
  static class HttpFilter {
    @Bean
    @ConditionalOnMissingBean(name = "idempotencyFilter")
    FilterRegistrationBean<IdempotencyFilter> idempotencyFilter(
        IdempotencyEngine engine,
        IdempotencyProperties properties,
        ObjectProvider<RequestScope> scope) {
      return HttpFilters.registration(engine, properties.getHttp(), scope.getIfAvailable());
    }
  }

  /** Metrics when idempotent-micrometer is on the class path and a MeterRegistry bean exists. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(
      name = {
        "io.micrometer.core.instrument.MeterRegistry",
        "dev.idempotent.micrometer.MicrometerIdempotencyListener"
      })
  static class Metrics {
    @Bean
    @ConditionalOnBean(MeterRegistry.class)
    @ConditionalOnMissingBean(MicrometerIdempotencyListener.class)
    MicrometerIdempotencyListener idempotencyMetrics(MeterRegistry registry) {
      return MicrometerIdempotencyListener.create(registry);
    }
  }

  /**
   * Woven methods use this context's engine while it runs: the registration is closed with the
   * context (before the engine), which puts back the engine registered before it. The aspect logs a
   * WARN when this replaces the engine of another context that is still running.
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "dev.idempotent.aspectj.IdempotentAspect")
  static class Aspect {
    @Bean
    IdempotentAspect.Registration idempotentAspectRegistration(IdempotencyEngine engine) {
      return IdempotentAspect.configure(engine);
    }
  }
}
