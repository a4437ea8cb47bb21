package dev.idempotent.spring;

import dev.idempotent.redis.RedisIdempotencyStore;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.cluster.RedisClusterClient;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.util.ClassUtils;

/**
 * Builds the Redis store: on {@code idempotent.store.redis.uri} when set, else on a connection of
 * its own through the application's Lettuce client (Spring Data Redis's {@code
 * LettuceConnectionFactory}, configured by {@code spring.data.redis.*} or the application's
 * connection details), so it shares the client's address, credentials, TLS and threads. The only
 * class of the starter that names idempotent-redis and Lettuce types; loaded only when they exist.
 */
final class RedisStores {
  static final String STORE_CLASS = "dev.idempotent.redis.RedisIdempotencyStore";
  private static final String LETTUCE_FACTORY =
      "org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory";

  private RedisStores() {}

  /** Where the store would connect, or null when the application has no Redis it can use. */
  static String source(
      IdempotencyProperties.Redis settings, ListableBeanFactory beans, ClassLoader loader) {
    if (settings.getUri() != null) {
      return "idempotent.store.redis.uri";
    }
    String factory = lettuceFactory(beans, loader);
    return factory != null ? "the application's Lettuce client (bean '" + factory + "')" : null;
  }

  static RedisIdempotencyStore create(
      IdempotencyProperties.Redis settings, ListableBeanFactory beans) {
    RedisIdempotencyStore.Builder builder;
    if (settings.getUri() != null) {
      builder = RedisIdempotencyStore.builder(settings.getUri());
    } else {
      String name = lettuceFactory(beans, RedisStores.class.getClassLoader());
      if (name == null) {
        throw new IllegalStateException(
            "idempotent.store.type=redis: set idempotent.store.redis.uri, or configure Spring Data"
                + " Redis with Lettuce (spring.data.redis.*) so that the context has one"
                + " LettuceConnectionFactory; found none.");
      }
      Object factory = beans.getBean(name);
      AbstractRedisClient client =
          ((org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory) factory)
              .getRequiredNativeClient();
      builder =
          client instanceof RedisClusterClient
              ? RedisIdempotencyStore.builder((RedisClusterClient) client)
              : RedisIdempotencyStore.builder((RedisClient) client);
    }
    return builder
        .keyPrefix(settings.getKeyPrefix())
        .commandTimeout(settings.getCommandTimeout())
        .build();
  }

  /** The name of the context's one Lettuce connection factory, or null. */
  private static String lettuceFactory(ListableBeanFactory beans, ClassLoader loader) {
    if (!ClassUtils.isPresent(LETTUCE_FACTORY, loader)) {
      return null;
    }
    String[] names =
        beans.getBeanNamesForType(
            ClassUtils.resolveClassName(LETTUCE_FACTORY, loader), true, false);
    return names.length == 1 ? names[0] : null;
  }
}
