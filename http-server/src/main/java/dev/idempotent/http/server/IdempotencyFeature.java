package dev.idempotent.http.server;

import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Feature;
import jakarta.ws.rs.core.FeatureContext;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.MessageBodyWriter;
import jakarta.ws.rs.ext.Providers;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.annotation.Annotation;
import java.security.Principal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code Idempotency-Key} header for JAX-RS (Jakarta RESTful Web Services 3.1 and 4)
 * applications: a {@link Feature} that registers a request filter and a response filter, which run
 * each protected request once per key and answer retries with the first response, byte for byte,
 * marked {@code Idempotent-Replayed: true}. What is protected and how is the given {@link
 * HttpIdempotency}'s configuration; route patterns are matched against the path inside the
 * application ({@code /charges} for {@code @ApplicationPath("/api") @Path("charges")}).
 *
 * <pre>{@code
 * ResourceConfig app = new ResourceConfig(Charges.class)
 *     .register(new IdempotencyFeature(httpIdempotency));
 * }</pre>
 *
 * <p>The request filter runs after authentication and authorization filters (priority {@code
 * AUTHORIZATION + 500}), so a {@link RequestScope} sees the {@code SecurityContext}'s principal.
 * The response filter writes the entity with the application's {@code MessageBodyWriter} to record
 * its bytes, and sends those bytes; writer interceptors (compression) still apply afterwards, to
 * the first response and to replays alike.
 *
 * <p>The response filter must see every response of an admitted request, or its key stays in
 * progress. JAX-RS does not run response filters for an exception that no {@code ExceptionMapper}
 * maps, so the feature also registers a mapper for {@code Throwable} at a priority below any the
 * application sets ({@code USER + 10000}): a {@code WebApplicationException} keeps its own
 * response, any other unmapped exception is logged and answered 500 without a body, as the
 * container would, and the key is released. An application's own mappers, for {@code Throwable}
 * too, take precedence; they must return a response (which releases or records the key by its
 * status).
 *
 * <p>Thread-safe; one instance serves every request.
 */
public final class IdempotencyFeature implements Feature {
  private final HttpIdempotency idempotency;

  /**
   * A feature for {@code idempotency}'s routes.
   *
   * @param idempotency the configuration; not null
   */
  public IdempotencyFeature(HttpIdempotency idempotency) {
    this.idempotency = Objects.requireNonNull(idempotency, "idempotency");
  }

  /** Registers the filter pair and the mapper of unmapped exceptions; returns true. */
  @Override
  public boolean configure(FeatureContext context) {
    context.register(
        new Filters(idempotency),
        Map.of(
            ContainerRequestFilter.class,
            Priorities.AUTHORIZATION + 500,
            ContainerResponseFilter.class,
            Priorities.AUTHORIZATION + 500));
    context.register(
        new UnmappedExceptions(), Map.of(ExceptionMapper.class, Priorities.USER + 10000));
    return true;
  }

  /**
   * Maps what nothing else maps, so that response filters run: a {@link WebApplicationException} to
   * its own response, anything else to 500.
   */
  static final class UnmappedExceptions implements ExceptionMapper<Throwable> {
    private static final Logger LOG = LoggerFactory.getLogger(IdempotencyFeature.class);

    @Override
    public Response toResponse(Throwable exception) {
      if (exception instanceof WebApplicationException web) {
        return web.getResponse();
      }
      LOG.error("Unmapped exception from a resource; answered 500", exception);
      return Response.serverError().build();
    }
  }

  /** The request filter and the response filter, sharing one request property. */
  static final class Filters implements ContainerRequestFilter, ContainerResponseFilter {
    private static final String ADMITTED = Admitted.class.getName();
    private final HttpIdempotency idempotency;
    @Context private Providers providers;

    Filters(HttpIdempotency idempotency) {
      this.idempotency = idempotency;
    }

    @Override
    public void filter(ContainerRequestContext request) throws IOException {
      Decision decision = idempotency.decide(new JaxRsExchange(request));
      if (decision instanceof Decision.Respond respond) {
        request.abortWith(response(respond.response(), respond.replayed()));
      } else if (decision instanceof Admitted admitted) {
        request.setEntityStream(new ByteArrayInputStream(admitted.body()));
        request.setProperty(ADMITTED, admitted);
      }
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response)
        throws IOException {
      Object property = request.getProperty(ADMITTED);
      if (!(property instanceof Admitted admitted)) {
        return;
      }
      request.removeProperty(ADMITTED);
      int limit = admitted.route().maxResponseBytes();
      BoundedBuffer body = new BoundedBuffer(limit);
      try {
        if (response.hasEntity()) {
          write(response, body);
        }
      } catch (IOException | RuntimeException | Error e) {
        admitted.abort(e);
        throw e;
      }
      RecordedResponse instead =
          admitted.finish(
              response.getStatus(),
              name -> headerValues(response, name),
              body.bytes(),
              body.overflowed());
      if (instead != null) {
        response.setStatus(instead.status());
        response.getHeaders().clear();
        instead
            .headers()
            .forEach((name, values) -> response.getHeaders().put(name, new ArrayList<>(values)));
        response.setEntity(
            instead.body(), new Annotation[0], MediaType.valueOf(HttpIdempotency.PROBLEM_JSON));
      } else if (response.hasEntity()) {
        response.setEntity(body.bytes(), response.getEntityAnnotations(), response.getMediaType());
      }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private void write(ContainerResponseContext response, OutputStream out) throws IOException {
      Object entity = response.getEntity();
      MediaType type = response.getMediaType();
      MessageBodyWriter writer =
          providers.getMessageBodyWriter(
              response.getEntityClass(),
              response.getEntityType(),
              response.getEntityAnnotations(),
              type);
      if (writer == null) {
        throw new IllegalStateException(
            "IdempotencyFeature: no MessageBodyWriter writes "
                + response.getEntityClass().getName()
                + " as "
                + type
                + ", so the response cannot be recorded");
      }
      writer.writeTo(
          entity,
          response.getEntityClass(),
          response.getEntityType(),
          response.getEntityAnnotations(),
          type,
          response.getHeaders(),
          out);
    }

    private static List<String> headerValues(ContainerResponseContext response, String name) {
      if (name.equalsIgnoreCase("Content-Type") && response.getMediaType() != null) {
        return List.of(response.getMediaType().toString());
      }
      List<String> values = response.getStringHeaders().get(name);
      return values == null ? List.of() : values;
    }

    private static Response response(RecordedResponse recorded, boolean replayed) {
      Response.ResponseBuilder builder = Response.status(recorded.status());
      recorded
          .headers()
          .forEach(
              (name, values) -> {
                for (String value : values) {
                  builder.header(name, value);
                }
              });
      if (replayed) {
        builder.header(HttpIdempotency.IDEMPOTENT_REPLAYED, "true");
      }
      if (recorded.bodyLength() > 0) {
        List<String> type = recorded.header("Content-Type");
        builder.entity(recorded.body());
        if (!type.isEmpty()) {
          builder.type(type.get(0));
        }
      }
      return builder.build();
    }
  }

  /** A JAX-RS request as {@link HttpIdempotency} reads it. */
  private static final class JaxRsExchange implements Exchange {
    private final ContainerRequestContext request;

    JaxRsExchange(ContainerRequestContext request) {
      this.request = request;
    }

    @Override
    public String method() {
      return request.getMethod();
    }

    @Override
    public String path() {
      String path = request.getUriInfo().getPath(false);
      return path.startsWith("/") ? path : "/" + path;
    }

    @Override
    public List<String> headers(String name) {
      List<String> values = request.getHeaders().get(name);
      return values == null ? List.of() : values;
    }

    @Override
    public Principal principal() {
      return request.getSecurityContext() == null
          ? null
          : request.getSecurityContext().getUserPrincipal();
    }

    @Override
    public String query() {
      return request.getUriInfo().getRequestUri().getRawQuery();
    }

    @Override
    public byte[] readBody(int limit) throws IOException {
      String length = request.getHeaderString("Content-Length");
      long declared = -1;
      if (length != null) {
        try {
          declared = Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
          declared = -1;
        }
      }
      return Bodies.read(request.getEntityStream(), declared, limit);
    }
  }
}
