package shop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.idempotent.IdempotencyEngine;
import dev.idempotent.codec.JacksonOutcomeCodec;
import dev.idempotent.codec.OutcomeCodec;
import dev.idempotent.jdbc.JdbcIdempotencyStore;
import dev.idempotent.micrometer.MicrometerIdempotencyListener;
import dev.idempotent.redis.RedisIdempotencyStore;
import dev.idempotent.spring.IdempotencyAutoConfiguration;
import dev.idempotent.store.CaffeineIdempotencyStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.Statement;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.aop.support.AopUtils;
import org.springframework.boot.SpringBootVersion;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.autoconfigure.data.redis.RedisAutoConfiguration;
import org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.SpringVersion;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * The starter, built against Spring Boot 4, in an application on Spring Boot 3.5.7: the store
 * chosen from what the application has (shared Redis at 127.0.0.1:6379, PostgreSQL at
 * 127.0.0.1:5432/test), properties, proxies with Boot's own AOP auto-configuration, and two
 * contexts in one JVM.
 */
class StarterOnBoot35Test {
  /**
   * Redis and PostgreSQL must answer, as for the main build's {@code @RequiresServer} tests: a
   * missing one skips this class and adds a line to the build's summary of skipped server tests,
   * or fails it under {@code -Didempotent.requireServers=true} (CI).
   */
  private static boolean serversAnswered;

  @BeforeAll
  static void serversAnswer() throws IOException {
    StringBuilder missing = new StringBuilder();
    int[] ports = {
      Integer.getInteger("idempotent.test.redis.port", 6379),
      Integer.getInteger("idempotent.test.postgresql.port", 5432)
    };
    for (int port : ports) {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
      } catch (IOException e) {
        missing.append(missing.length() == 0 ? "" : " and ").append("127.0.0.1:").append(port);
      }
    }
    if (missing.length() == 0) {
      serversAnswered = true;
      return;
    }
    String reason =
        "StarterOnBoot35Test (the Spring Boot 3.5 consumer build) needs Redis and PostgreSQL;"
            + " nothing answers on "
            + missing
            + ".";
    if (Boolean.getBoolean("idempotent.requireServers")) {
      throw new IllegalStateException(reason + " This build requires every server.");
    }
    String report = System.getProperty("idempotent.skippedServerTests", "");
    if (!report.isEmpty()) {
      Path path = Path.of(report);
      Files.createDirectories(path.getParent());
      String header =
          Files.exists(path)
              ? ""
              : "Tests were SKIPPED because servers they need are missing: the stores are not"
                  + " proven by this build.\n";
      Files.writeString(
          path,
          header
              + "  idempotent-spring-boot-starter: "
              + reason
              + " Start them as .ci/run does.\n",
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    }
    System.out.println("SKIPPED for a missing server: " + reason);
    Assumptions.abort(reason);
  }

  private static final String RUN = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  private static final String PREFIX = "idempotent-test-boot35-" + RUN + ":";
  private static final String TABLE = "idem_boot35_" + RUN;
  private static final String[] POSTGRES = {
    "spring.datasource.url=jdbc:postgresql://127.0.0.1:5432/test",
    "spring.datasource.username=postgres",
    "spring.datasource.password="
  };

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(AopAutoConfiguration.class, IdempotencyAutoConfiguration.class))
          .withBean(Payments.class)
          .withPropertyValues(
              "idempotent.store.redis.key-prefix=" + PREFIX,
              "idempotent.store.jdbc.table-name=" + TABLE,
              "idempotent.store.jdbc.purge-interval=0s");

  private final ApplicationContextRunner withRedis =
      runner
          .withConfiguration(AutoConfigurations.of(RedisAutoConfiguration.class))
          .withPropertyValues("spring.data.redis.host=127.0.0.1", "spring.data.redis.port=6379");

  @AfterAll
  static void cleanUp() {
    if (!serversAnswered) {
      return;
    }
    new ApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(RedisAutoConfiguration.class, DataSourceAutoConfiguration.class))
        .withPropertyValues(POSTGRES)
        .withPropertyValues("spring.data.redis.host=127.0.0.1")
        .run(
            context -> {
              try (Connection c = context.getBean(DataSource.class).getConnection();
                  Statement s = c.createStatement()) {
                s.execute("DROP TABLE IF EXISTS " + TABLE);
              }
              var redis = context.getBean(RedisConnectionFactory.class).getConnection();
              try (redis) {
                for (byte[] key : redis.keyCommands().keys((PREFIX + "*").getBytes())) {
                  redis.keyCommands().del(key);
                }
              }
            });
  }

  @Test
  void runsOnSpringBoot35AndSpringFramework62() {
    assertEquals("3.5.7", SpringBootVersion.getVersion());
    assertTrue(SpringVersion.getVersion().startsWith("6.2."), SpringVersion.getVersion());
  }

  @Test
  void annotatedBeanRunsOncePerKeyThroughBootsAspectJAutoProxy() {
    runner.run(
        context -> {
          assertNull(context.getStartupFailure());
          Payments payments = context.getBean(Payments.class);
          assertTrue(AopUtils.isCglibProxy(payments));
          BigDecimal amount = new BigDecimal("10.50");
          assertEquals(payments.charge("o-1", amount), payments.charge("o-1", amount));
          assertEquals(1, payments.runs());
          assertInstanceOf(
              CaffeineIdempotencyStore.class, context.getBean(IdempotencyEngine.class).store());
        });
  }

  @Test
  void springDataRedisMakesItRedisAndRecordsAreSharedBetweenContexts() {
    withRedis.run(
        first -> {
          assertInstanceOf(
              RedisIdempotencyStore.class, first.getBean(IdempotencyEngine.class).store());
          String key = "redis-" + UUID.randomUUID();
          Payments.Receipt receipt = first.getBean(Payments.class).charge(key, BigDecimal.TEN);
          withRedis.run(
              second -> {
                Payments other = second.getBean(Payments.class);
                assertEquals(receipt, other.charge(key, BigDecimal.TEN));
                assertEquals(0, other.runs(), "a second instance ran the body again");
              });
        });
  }

  @Test
  void aDataSourceMakesItJdbc() {
    runner
        .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class))
        .withPropertyValues(POSTGRES)
        .run(
            context -> {
              JdbcIdempotencyStore store =
                  assertInstanceOf(
                      JdbcIdempotencyStore.class, context.getBean(IdempotencyEngine.class).store());
              assertEquals(TABLE, store.tableName());
              Payments payments = context.getBean(Payments.class);
              String key = "jdbc-" + UUID.randomUUID();
              BigDecimal amount = new BigDecimal("7.00");
              assertEquals(payments.charge(key, amount), payments.charge(key, amount));
              assertEquals(1, payments.runs());
            });
  }

  @Test
  void badDurationFailsStartUpNamingTheProperty() {
    runner
        .withPropertyValues("idempotent.default-lease=soon")
        .run(
            context -> {
              Throwable failure = context.getStartupFailure();
              assertNotNull(failure);
              StringBuilder messages = new StringBuilder();
              for (Throwable t = failure; t != null; t = t.getCause()) {
                messages.append(t.getMessage()).append('\n');
              }
              assertTrue(messages.toString().contains("idempotent.default-lease"), messages.toString());
            });
  }

  @Test
  void propertiesReachTheStore() {
    runner
        .withPropertyValues("idempotent.store.type=caffeine", "idempotent.store.caffeine.maximum-size=3")
        .run(
            context -> {
              Payments payments = context.getBean(Payments.class);
              payments.charge("p-1", BigDecimal.ONE);
              CaffeineIdempotencyStore store =
                  (CaffeineIdempotencyStore) context.getBean(IdempotencyEngine.class).store();
              assertEquals(1, store.estimatedSize());
            });
  }

  @Test
  void twoContextsInOneJvmKeepSeparateEnginesAndRecords() {
    runner.run(
        first ->
            runner.run(
                second -> {
                  assertNotSame(
                      first.getBean(IdempotencyEngine.class),
                      second.getBean(IdempotencyEngine.class));
                  first.getBean(Payments.class).charge("shared", BigDecimal.ONE);
                  second.getBean(Payments.class).charge("shared", BigDecimal.ONE);
                  assertEquals(1, first.getBean(Payments.class).runs());
                  assertEquals(1, second.getBean(Payments.class).runs());
                }));
  }

  @Test
  void meterRegistryGetsTheMetricsListener() {
    runner
        .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
        .run(
            context -> {
              assertNotNull(context.getBean(MicrometerIdempotencyListener.class));
              Payments payments = context.getBean(Payments.class);
              payments.charge("m-1", BigDecimal.ONE);
              payments.charge("m-1", BigDecimal.ONE);
              assertEquals(
                  1.0,
                  context
                      .getBean(MeterRegistry.class)
                      .get("idempotent.calls")
                      .tag("result", "replayed")
                      .counter()
                      .count());
            });
  }

  @Test
  void outcomesGoThroughTheApplicationsJackson2Mapper() {
    withRedis
        .withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class))
        .run(
            context -> {
              assertInstanceOf(JacksonOutcomeCodec.class, context.getBean(OutcomeCodec.class));
              Payments payments = context.getBean(Payments.class);
              String key = "jackson-" + UUID.randomUUID();
              Payments.Receipt first = payments.charge(key, new BigDecimal("3.10"));
              withRedis
                  .withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class))
                  .run(
                      second -> {
                        Payments other = second.getBean(Payments.class);
                        assertEquals(first, other.charge(key, new BigDecimal("3.10")));
                        assertEquals(0, other.runs());
                      });
            });
  }

  @Test
  void disabledConfiguresNothing() {
    runner
        .withPropertyValues("idempotent.enabled=false")
        .run(context -> assertTrue(context.getBeansOfType(IdempotencyEngine.class).isEmpty()));
  }
}
