package dev.idempotent.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.idempotent.IdempotencyEngine;
import dev.idempotent.jdbc.JdbcIdempotencyStore;
import dev.idempotent.redis.RedisIdempotencyStore;
import dev.idempotent.store.CaffeineIdempotencyStore;
import dev.idempotent.testing.RequiresServer;
import dev.idempotent.testing.TestServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * Which store the auto-configuration chooses from what the application has, on this machine's
 * shared servers: Redis at 127.0.0.1:6379 through Spring Data Redis's auto-configured Lettuce
 * client, PostgreSQL at 127.0.0.1:5432/test through Boot's auto-configured DataSource, else
 * Caffeine. Records go under a key prefix and into a table of this run's own, removed afterwards.
 */
@RequiresServer({TestServer.REDIS, TestServer.POSTGRESQL})
class StoreSelectionTest {
  private static final String RUN = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  private static final String PREFIX = "idempotent-test-spring-" + RUN + ":";
  private static final String TABLE = "idem_spring_" + RUN;

  private static RedisClient redis;
  private static StatefulRedisConnection<String, String> connection;

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(IdempotencyAutoConfiguration.class))
          .withBean(Payments.class)
          .withPropertyValues(
              "idempotent.store.redis.key-prefix=" + PREFIX,
              "idempotent.store.jdbc.table-name=" + TABLE,
              "idempotent.store.jdbc.purge-interval=0s");

  private final ApplicationContextRunner withRedis =
      runner
          .withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class))
          .withPropertyValues("spring.data.redis.host=127.0.0.1", "spring.data.redis.port=6379");

  private final ApplicationContextRunner withPostgres =
      runner
          .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class))
          .withPropertyValues(
              "spring.datasource.url=jdbc:postgresql://127.0.0.1:5432/test",
              "spring.datasource.username=postgres",
              "spring.datasource.password=",
              "spring.datasource.hikari.maximum-pool-size=2");

  @BeforeAll
  static void connect() {
    redis = RedisClient.create("redis://127.0.0.1:6379");
    connection = redis.connect();
  }

  @AfterAll
  static void cleanUp() throws Exception {
    List<String> keys = connection.sync().keys(PREFIX + "*");
    if (!keys.isEmpty()) {
      connection.sync().unlink(keys.toArray(new String[0]));
    }
    connection.close();
    redis.shutdown();
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class))
        .withPropertyValues(
            "spring.datasource.url=jdbc:postgresql://127.0.0.1:5432/test",
            "spring.datasource.username=postgres")
        .run(
            context -> {
              try (Connection c = context.getBean(DataSource.class).getConnection();
                  Statement s = c.createStatement()) {
                s.execute("DROP TABLE IF EXISTS " + TABLE);
              }
            });
  }

  @Test
  void withNothingElseRecordsStayInMemory() {
    assertStore(CaffeineIdempotencyStore.class, runner);
  }

  @Test
  void springDataRedisMakesItRedisAndRecordsAreSharedBetweenContexts() {
    withRedis.run(
        first -> {
          assertNull(first.getStartupFailure());
          assertInstanceOf(
              RedisIdempotencyStore.class, first.getBean(IdempotencyEngine.class).store());
          String key = "redis-" + UUID.randomUUID();
          String result = first.getBean(Payments.class).charge(key, 1);
          assertTrue(
              connection.sync().keys(PREFIX + "*").stream().anyMatch(k -> k.contains(key)),
              "no record under " + PREFIX);
          withRedis.run(
              second -> {
                Payments other = second.getBean(Payments.class);
                assertEquals(result, other.charge(key, 1));
                assertEquals(0, other.runs(), "a second instance ran the body again");
              });
        });
  }

  @Test
  void redisUriPropertyMakesItRedisWithoutSpringDataRedis() {
    runner
        .withPropertyValues("idempotent.store.redis.uri=redis://127.0.0.1:6379")
        .run(
            context -> {
              assertInstanceOf(
                  RedisIdempotencyStore.class, context.getBean(IdempotencyEngine.class).store());
              Payments payments = context.getBean(Payments.class);
              String key = "uri-" + UUID.randomUUID();
              assertEquals(payments.charge(key, 1), payments.charge(key, 1));
              assertEquals(1, payments.runs());
            });
  }

  @Test
  void aDataSourceMakesItJdbcAndTheTableIsCreated() {
    withPostgres.run(
        context -> {
          assertNull(context.getStartupFailure());
          JdbcIdempotencyStore store =
              assertInstanceOf(
                  JdbcIdempotencyStore.class, context.getBean(IdempotencyEngine.class).store());
          assertEquals(TABLE, store.tableName());
          Payments payments = context.getBean(Payments.class);
          String key = "jdbc-" + UUID.randomUUID();
          assertEquals(payments.charge(key, 1), payments.charge(key, 1));
          assertEquals(1, payments.runs());
          try (Connection c = context.getBean(DataSource.class).getConnection();
              Statement s = c.createStatement();
              ResultSet rows = s.executeQuery("SELECT count(*) FROM " + TABLE)) {
            rows.next();
            assertTrue(rows.getInt(1) >= 1, "no record in " + TABLE);
          }
        });
  }

  @Test
  void redisWinsOverADataSource() {
    assertStore(
        RedisIdempotencyStore.class,
        withRedis
            .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class))
            .withPropertyValues(
                "spring.datasource.url=jdbc:postgresql://127.0.0.1:5432/test",
                "spring.datasource.username=postgres"));
  }

  @Test
  void storeTypePropertyOverridesWhatIsPresent() {
    assertStore(
        CaffeineIdempotencyStore.class,
        withRedis.withPropertyValues("idempotent.store.type=caffeine"));
  }

  @Test
  void withoutTheRedisModuleSpringDataRedisIsIgnored() {
    assertStore(
        CaffeineIdempotencyStore.class,
        withRedis.withClassLoader(new FilteredClassLoader("dev.idempotent.redis.")));
  }

  private static void assertStore(Class<?> expected, ApplicationContextRunner runner) {
    runner.run(
        context -> assertInstanceOf(expected, context.getBean(IdempotencyEngine.class).store()));
  }

  @Test
  void jdbcStoreTypeWithoutADataSourceFailsStartUpSayingWhatIsMissing() {
    runner
        .withPropertyValues("idempotent.store.type=jdbc")
        .run(
            context -> {
              String messages =
                  IdempotencyAutoConfigurationTest.messages(context.getStartupFailure());
              assertTrue(messages.contains("needs one DataSource bean"), messages);
            });
  }
}
