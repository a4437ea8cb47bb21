package dev.idempotent.spring;

import dev.idempotent.IdempotencyEngine;
import dev.idempotent.http.server.HttpIdempotency;
import dev.idempotent.http.server.IdempotencyFilter;
import dev.idempotent.http.server.RequestScope;
import dev.idempotent.http.server.Route;
import jakarta.servlet.DispatcherType;
import org.springframework.boot.web.servlet.FilterRegistrationBean;

/**
 * Registers idempotent-http-server's {@link IdempotencyFilter} with the servlet container of a
 * Spring MVC application, for the routes of {@code idempotent.http.routes}. The only class of the
 * starter that names idempotent-http-server and servlet types; loaded only when they exist.
 */
final class HttpFilters {
  static final String FILTER_CLASS = "dev.idempotent.http.server.IdempotencyFilter";

  private HttpFilters() {}

  static FilterRegistrationBean<IdempotencyFilter> registration(
      IdempotencyEngine engine, IdempotencyProperties.Http settings, RequestScope scope) {
    HttpIdempotency.Builder builder = HttpIdempotency.builder(engine);
    for (int i = 0; i < settings.getRoutes().size(); i++) {
      builder.route(route(settings.getRoutes().get(i), i));
    }
    builder.scope(scope != null ? scope : scope(settings));
    FilterRegistrationBean<IdempotencyFilter> registration =
        new FilterRegistrationBean<>(new IdempotencyFilter(builder.build()));
    registration.setName("idempotencyFilter");
    registration.setOrder(settings.getFilterOrder());
    registration.setDispatcherTypes(DispatcherType.REQUEST);
    // The filter records a response when the handler returns; it cannot record one that an
    // asynchronous handler completes later (the container refuses async processing behind it).
    registration.setAsyncSupported(false);
    registration.addUrlPatterns("/*");
    return registration;
  }

  private static RequestScope scope(IdempotencyProperties.Http settings) {
    if (settings.getScope() == null) {
      throw new IllegalStateException(
          "idempotent.http.routes is set but idempotent.http.scope is not: choose whose keys an"
              + " Idempotency-Key belongs to (none, authenticated-user, or header with"
              + " idempotent.http.scope-header), or define a RequestScope bean.");
    }
    switch (settings.getScope()) {
      case AUTHENTICATED_USER:
        return RequestScope.authenticatedUser();
      case HEADER:
        if (settings.getScopeHeader() == null || settings.getScopeHeader().isBlank()) {
          throw new IllegalStateException(
              "idempotent.http.scope=header needs idempotent.http.scope-header, the header whose"
                  + " value is the scope (such as X-Api-Key).");
        }
        return RequestScope.header(settings.getScopeHeader());
      default:
        return RequestScope.none();
    }
  }

  private static Route route(IdempotencyProperties.Route settings, int index) {
    String property = "idempotent.http.routes[" + index + "]";
    if (settings.getPath() == null || settings.getPath().isBlank()) {
      throw new IllegalArgumentException(property + ".path is not set; give the route's path");
    }
    Route.Builder route;
    try {
      route = Route.builder(settings.getMethod(), settings.getPath());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(property + ": " + e.getMessage(), e);
    }
    route.keyRequired(settings.isKeyRequired()).onInFlight(settings.getOnInFlight());
    if (settings.getTtl() != null) {
      route.ttl(settings.getTtl());
    }
    if (!settings.getRecordStatuses().isEmpty()) {
      route.recordStatuses(
          settings.getRecordStatuses().stream().mapToInt(Integer::intValue).toArray());
    }
    return route.build();
  }
}
