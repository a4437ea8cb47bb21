package dev.idempotent.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.idempotent.IdempotencyEngine;
import dev.idempotent.IdempotencyEvent;
import dev.idempotent.IdempotencyListener;
import dev.idempotent.KeyScope;
import dev.idempotent.micrometer.MicrometerIdempotencyListener;
import dev.idempotent.store.CaffeineIdempotencyStore;
import dev.idempotent.store.IdempotencyStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.aop.support.AopUtils;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The auto-configuration on real application contexts: what it creates from properties and the
 * application's beans, what the application's own beans replace, and how start-up fails on wrong
 * settings. The stores on real servers are in {@link StoreSelectionTest}.
 */
class IdempotencyAutoConfigurationTest {
  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(IdempotencyAutoConfiguration.class))
          .withBean(Payments.class);

  @Test
  void annotatedBeanMethodRunsOncePerKeyThroughTheProxy() {
    runner.run(
        context -> {
          assertNull(context.getStartupFailure());
          Payments payments = context.getBean(Payments.class);
          assertTrue(AopUtils.isCglibProxy(payments), "not proxied: " + payments.getClass());
          String first = payments.charge("order-1", 100);
          assertEquals(first, payments.charge("order-1", 100));
          assertEquals(1, payments.runs());
          assertInstanceOf(
              CaffeineIdempotencyStore.class, context.getBean(IdempotencyEngine.class).store());
        });
  }

  @Test
  void bootsOwnAopAutoConfigurationAndTheStarterProxyTheBeanOnce() {
    runner
        .withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class))
        .run(
            context -> {
              Payments payments = context.getBean(Payments.class);
              assertTrue(AopUtils.isCglibProxy(payments));
              payments.charge("order-aop", 1);
              payments.charge("order-aop", 1);
              assertEquals(1, payments.runs());
            });
  }

  @Test
  void jdkProxiesWhenClassProxyingIsOffUseTheImplementationsAnnotation() {
    runner
        .withPropertyValues("spring.aop.proxy-target-class=false")
        .withBean(Beans.AnnotatedImplementation.class)
        .run(
            context -> {
              Beans.Charges charges = context.getBean(Beans.Charges.class);
              assertTrue(AopUtils.isJdkDynamicProxy(charges), charges.getClass().getName());
              assertEquals(charges.charge("jdk-1"), charges.charge("jdk-1"));
              assertEquals(1, charges.runs());
            });
  }

  @Test
  void callThroughThisIsNotSeenByTheProxyAndRunsUnprotected() {
    runner.run(
        context -> {
          Payments payments = context.getBean(Payments.class);
          payments.chargeThroughThis("self-1", 5);
          payments.chargeThroughThis("self-1", 5);
          assertEquals(2, payments.runs(), "documented limitation of proxies changed");
        });
  }

  @Test
  void propertiesAreBoundIntoTheEngineAndStore() {
    runner
        .withPropertyValues(
            "idempotent.default-ttl=10m",
            "idempotent.default-lease=5s",
            "idempotent.default-wait-timeout=2s",
            "idempotent.fail-open=true",
            "idempotent.hash-keys=true",
            "idempotent.store.type=caffeine",
            "idempotent.store.caffeine.maximum-size=500",
            "idempotent.proxy.order=7")
        .run(
            context -> {
              IdempotencyProperties properties = context.getBean(IdempotencyProperties.class);
              assertEquals(Duration.ofMinutes(10), properties.getDefaultTtl());
              assertEquals(Duration.ofSeconds(5), properties.getDefaultLease());
              assertEquals(Duration.ofSeconds(2), properties.getDefaultWaitTimeout());
              assertTrue(properties.isFailOpen());
              assertTrue(properties.isHashKeys());
              assertEquals(500, properties.getStore().getCaffeine().getMaximumSize());
              IdempotentAdvisor advisor = context.getBean(IdempotentAdvisor.class);
              assertEquals(7, advisor.getOrder());
              Payments payments = context.getBean(Payments.class);
              payments.charge("bound-1", 1);
              CaffeineIdempotencyStore store =
                  (CaffeineIdempotencyStore) context.getBean(IdempotencyStore.class);
              assertEquals(1, store.estimatedSize());
            });
  }

  @Test
  void badDurationFailsStartUpNamingTheProperty() {
    runner
        .withPropertyValues("idempotent.default-ttl=soon")
        .run(
            context -> {
              Throwable failure = context.getStartupFailure();
              assertNotNull(failure, "started with idempotent.default-ttl=soon");
              assertTrue(messages(failure).contains("idempotent.default-ttl"), messages(failure));
            });
  }

  @Test
  void negativeDurationFailsStartUpNamingThePropertyAndTheValue() {
    runner
        .withPropertyValues("idempotent.store.redis.command-timeout=-2s")
        .run(
            context -> {
              String messages = messages(context.getStartupFailure());
              assertTrue(messages.contains("idempotent.store.redis.command-timeout"), messages);
              assertTrue(messages.contains("must be a positive duration"), messages);
            });
  }

  @Test
  void unknownStoreTypeFailsStartUpNamingTheProperty() {
    runner
        .withPropertyValues("idempotent.store.type=mongo")
        .run(
            context -> {
              String messages = messages(context.getStartupFailure());
              assertTrue(messages.contains("idempotent.store.type"), messages);
            });
  }

  @Test
  void redisStoreTypeWithoutTheRedisModuleFailsStartUpSayingWhatToAdd() {
    runner
        .withClassLoader(new FilteredClassLoader("dev.idempotent.redis."))
        .withPropertyValues("idempotent.store.type=redis")
        .run(
            context -> {
              String messages = messages(context.getStartupFailure());
              assertTrue(messages.contains("dev.idempotent:idempotent-redis"), messages);
            });
  }

  @Test
  void applicationStoreBeanIsUsed() {
    IdempotencyStore own = CaffeineIdempotencyStore.builder().maximumSize(10).build();
    runner
        .withBean(IdempotencyStore.class, () -> own)
        .run(context -> assertSame(own, context.getBean(IdempotencyEngine.class).store()));
  }

  @Test
  void applicationEngineBeanIsUsedAndNoStoreIsBuilt() {
    IdempotencyEngine own = IdempotencyEngine.builder().build();
    runner
        .withBean(IdempotencyEngine.class, () -> own)
        .run(
            context -> {
              assertSame(own, context.getBean(IdempotencyEngine.class));
              assertFalse(context.containsBean("idempotencyStore"));
              context.getBean(Payments.class).charge("own-engine", 1);
              assertEquals(1, own.store() instanceof CaffeineIdempotencyStore s ? size(s) : -1);
            });
  }

  @Test
  void keyScopeAndListenerBeansReachTheEngine() {
    List<IdempotencyEvent> events = new CopyOnWriteArrayList<>();
    ThreadLocal<String> tenant = ThreadLocal.withInitial(() -> "tenant-a");
    runner
        .withBean(KeyScope.class, () -> tenant::get)
        .withBean(IdempotencyListener.class, () -> events::add)
        .run(
            context -> {
              Payments payments = context.getBean(Payments.class);
              payments.charge("scoped-1", 1);
              payments.charge("scoped-1", 1);
              tenant.set("tenant-b");
              payments.charge("scoped-1", 1);
              assertEquals(2, payments.runs(), "the scope did not separate the tenants");
              assertEquals(
                  List.of(
                      IdempotencyEvent.Type.EXECUTED,
                      IdempotencyEvent.Type.REPLAYED,
                      IdempotencyEvent.Type.EXECUTED),
                  events.stream().map(IdempotencyEvent::type).toList());
            });
  }

  @Test
  void meterRegistryBeanGetsTheMetricsListener() {
    runner
        .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
        .run(
            context -> {
              assertNotNull(context.getBean(MicrometerIdempotencyListener.class));
              Payments payments = context.getBean(Payments.class);
              payments.charge("metered-1", 1);
              payments.charge("metered-1", 1);
              MeterRegistry registry = context.getBean(MeterRegistry.class);
              assertEquals(
                  1.0,
                  registry.get("idempotent.calls").tag("result", "replayed").counter().count());
            });
  }

  @Test
  void withoutMeterRegistryNoMetricsListener() {
    runner.run(
        context ->
            assertTrue(context.getBeansOfType(MicrometerIdempotencyListener.class).isEmpty()));
  }

  @Test
  void withoutMicrometerOnTheClassPathTheContextStartsWithoutMetrics() {
    runner
        .withClassLoader(new FilteredClassLoader("io.micrometer.", "dev.idempotent.micrometer."))
        .run(
            context -> {
              assertNull(context.getStartupFailure());
              context.getBean(Payments.class).charge("no-metrics", 1);
            });
  }

  @Test
  void disabledConfiguresNothing() {
    runner
        .withPropertyValues("idempotent.enabled=false")
        .run(
            context -> {
              assertTrue(context.getBeansOfType(IdempotencyEngine.class).isEmpty());
              Payments payments = context.getBean(Payments.class);
              assertFalse(AopUtils.isAopProxy(payments));
            });
  }

  @Test
  void twoContextsInOneJvmKeepSeparateEnginesAndRecords() {
    runner.run(
        first ->
            runner.run(
                second -> {
                  IdempotencyEngine one = first.getBean(IdempotencyEngine.class);
                  IdempotencyEngine two = second.getBean(IdempotencyEngine.class);
                  assertNotSame(one, two);
                  assertNotSame(one.store(), two.store());
                  Payments inFirst = first.getBean(Payments.class);
                  Payments inSecond = second.getBean(Payments.class);
                  String a = inFirst.charge("shared-key", 1);
                  String b = inSecond.charge("shared-key", 1);
                  assertEquals(1, inFirst.runs());
                  assertEquals(
                      1, inSecond.runs(), "the second context replayed the first's record");
                  assertEquals(a, inFirst.charge("shared-key", 1));
                  assertEquals(b, inSecond.charge("shared-key", 1));
                  assertEquals(1, inFirst.runs());
                  assertEquals(1, inSecond.runs());
                }));
  }

  @Test
  void privateAnnotatedMethodFailsStartUp() {
    runner
        .withBean(Beans.PrivateMethod.class)
        .run(
            context -> {
              String messages = messages(context.getStartupFailure());
              assertTrue(messages.contains("PrivateMethod.charge(String)"), messages);
              assertTrue(messages.contains("it is private"), messages);
              assertTrue(messages.contains("idempotent-aspectj"), messages);
            });
  }

  @Test
  void finalAnnotatedMethodFailsStartUp() {
    runner
        .withBean(Beans.FinalMethod.class)
        .run(
            context -> {
              String messages = messages(context.getStartupFailure());
              assertTrue(messages.contains("FinalMethod.charge(String)"), messages);
              assertTrue(messages.contains("final"), messages);
            });
  }

  @Test
  void annotationOnlyOnTheInterfaceFailsStartUp() {
    runner
        .withBean(Beans.InterfaceOnly.class)
        .run(
            context -> {
              String messages = messages(context.getStartupFailure());
              assertTrue(messages.contains("Api.charge(String)"), messages);
              assertTrue(messages.contains("Put @Idempotent on"), messages);
              assertTrue(messages.contains("InterfaceOnly.charge(String)"), messages);
            });
  }

  @Test
  void wrongKeyExpressionFailsStartUpBeforeAnyCall() {
    runner
        .withBean(Beans.WrongExpression.class)
        .run(
            context -> {
              String messages = messages(context.getStartupFailure());
              assertTrue(messages.contains("#nope"), messages);
              assertTrue(messages.contains("WrongExpression"), messages);
            });
  }

  static String messages(Throwable failure) {
    assertNotNull(failure, "the context started");
    StringBuilder all = new StringBuilder();
    for (Throwable t = failure; t != null; t = t.getCause()) {
      all.append(t.getClass().getName()).append(": ").append(t.getMessage()).append('\n');
    }
    return all.toString();
  }

  private static long size(CaffeineIdempotencyStore store) {
    return store.estimatedSize();
  }
}
