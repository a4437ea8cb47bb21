package dev.idempotent.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.idempotent.http.server.IdempotencyFilter;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;

/**
 * When the starter registers idempotent-http-server's filter: a servlet web application with {@code
 * idempotent.http.routes} set. The filter's behaviour over a real server is the sample's test
 * ({@code samples/spring-boot}, {@code POST /refunds}).
 */
class HttpFilterRegistrationTest {
  private final WebApplicationContextRunner web =
      new WebApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(IdempotencyAutoConfiguration.class));

  @Test
  void routesInAServletApplicationRegisterTheFilter() {
    web.withPropertyValues(
            "idempotent.http.routes[0].path=/refunds",
            "idempotent.http.routes[1].method=PATCH",
            "idempotent.http.routes[1].path=/orders/{id}",
            "idempotent.http.scope=header",
            "idempotent.http.scope-header=X-Api-Key",
            "idempotent.http.filter-order=5")
        .run(
            context -> {
              FilterRegistrationBean<?> registration =
                  context.getBean("idempotencyFilter", FilterRegistrationBean.class);
              assertInstanceOf(IdempotencyFilter.class, registration.getFilter());
              assertEquals(5, registration.getOrder());
              assertEquals(
                  2, context.getBean(IdempotencyProperties.class).getHttp().getRoutes().size());
            });
  }

  @Test
  void withoutRoutesNoFilter() {
    web.run(context -> assertTrue(context.getBeansOfType(FilterRegistrationBean.class).isEmpty()));
  }

  @Test
  void notAServletApplicationNoFilter() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(IdempotencyAutoConfiguration.class))
        .withPropertyValues("idempotent.http.routes[0].path=/refunds", "idempotent.http.scope=none")
        .run(context -> assertTrue(context.getBeansOfType(FilterRegistrationBean.class).isEmpty()));
  }

  @Test
  void routesWithoutAScopeFailStartUpNamingTheProperty() {
    web.withPropertyValues("idempotent.http.routes[0].path=/refunds")
        .run(
            context -> {
              String messages =
                  IdempotencyAutoConfigurationTest.messages(context.getStartupFailure());
              assertTrue(messages.contains("idempotent.http.scope"), messages);
            });
  }

  @Test
  void aMalformedRoutePathFailsStartUpNamingTheRoute() {
    web.withPropertyValues(
            "idempotent.http.routes[0].path=/refunds/**/more", "idempotent.http.scope=none")
        .run(
            context -> {
              String messages =
                  IdempotencyAutoConfigurationTest.messages(context.getStartupFailure());
              assertTrue(messages.contains("idempotent.http.routes[0]"), messages);
            });
  }
}
