package shop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.springframework.aop.support.AopUtils;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import shop.woven.Ledger;

/**
 * The plugin block of docs/spring.md keeps ajc to {@code shop.woven}: the application's own Spring
 * {@code @Aspect} stays a plain class that Spring AOP uses, the starter proxies {@link Payments},
 * and the woven {@link Ledger} protects a call through {@code this}.
 */
class SpringAspectsStaySpringsTest {

  @Test
  void theApplicationsAspectIsNotAnAjcAspectAndOnlyTheIncludedPackageIsWoven() {
    assertThrows(NoSuchMethodException.class, () -> CallCounter.class.getMethod("aspectOf"));
    assertTrue(
        Arrays.stream(Payments.class.getDeclaredFields()).noneMatch(f -> f.getName().contains("ajc$")),
        "Payments was woven");
    assertTrue(
        Arrays.stream(Ledger.class.getDeclaredMethods()).anyMatch(m -> m.getName().contains("ajc$")),
        "Ledger was not woven");
  }

  @Test
  void springAppliesTheApplicationsAspectOncePerCallAndTheStarterRunsTheBodyOnce() {
    try (ConfigurableApplicationContext context = start()) {
      Payments payments = context.getBean(Payments.class);
      CallCounter counter = context.getBean(CallCounter.class);
      assertTrue(AopUtils.isAopProxy(payments), "Payments is not a Spring proxy");
      String first = payments.charge("order-1");
      assertEquals(first, payments.charge("order-1"));
      assertEquals(1, payments.runs(), "the starter did not run the body once");
      assertEquals(2, counter.calls(), "the application's aspect did not run once per call");
    }
  }

  @Test
  void theWovenBeanProtectsItsCallThroughThisWithTheContextsEngine() {
    try (ConfigurableApplicationContext context = start()) {
      Ledger ledger = context.getBean(Ledger.class);
      assertEquals(ledger.post("entry-1"), ledger.post("entry-1"));
      assertEquals(1, ledger.runs());
    }
  }

  private static ConfigurableApplicationContext start() {
    return new SpringApplicationBuilder(ShopApplication.class)
        .web(WebApplicationType.NONE)
        .run();
  }
}
