package dev.idempotent.http.server;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.security.Principal;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The {@code Idempotency-Key} header for Jakarta Servlet 6 applications: a {@link Filter} that runs
 * each protected request once per key and answers retries with the first response, byte for byte,
 * marked {@code Idempotent-Replayed: true}. What is protected and how is the given {@link
 * HttpIdempotency}'s configuration.
 *
 * <pre>{@code
 * FilterRegistration.Dynamic idempotency =
 *     servletContext.addFilter("idempotency", new IdempotencyFilter(httpIdempotency));
 * idempotency.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, "/*");
 * }</pre>
 *
 * <p>Map it after the filters that authenticate the request (so a {@link RequestScope} sees the
 * principal) and before the servlets it protects. It reads the request body of a protected request
 * whole before the handler runs (the fingerprint covers it) and gives the handler a copy; it
 * buffers the response and sends it when the handler returns. Register it without async support: a
 * servlet behind it that starts async processing gets an {@code IllegalStateException} from the
 * container, because a response that completes later cannot be recorded by a filter.
 *
 * <p>Thread-safe; one instance serves every request.
 */
public final class IdempotencyFilter implements Filter {
  private final HttpIdempotency idempotency;

  /**
   * A filter for {@code idempotency}'s routes.
   *
   * @param idempotency the configuration; not null
   */
  public IdempotencyFilter(HttpIdempotency idempotency) {
    this.idempotency = Objects.requireNonNull(idempotency, "idempotency");
  }

  /**
   * Passes the request through, answers it from its key's record or with a problem, or runs it and
   * records its response.
   *
   * @throws IOException when reading the request or writing the response fails
   * @throws ServletException what the handler threw (its key is released)
   */
  @Override
  public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    if (!(req instanceof HttpServletRequest request)
        || !(res instanceof HttpServletResponse response)
        || request.getDispatcherType() != DispatcherType.REQUEST) {
      chain.doFilter(req, res);
      return;
    }
    Decision decision = idempotency.decide(new ServletExchange(request));
    if (decision instanceof Decision.Pass) {
      chain.doFilter(request, response);
    } else if (decision instanceof Decision.Respond respond) {
      send(response, respond.response(), respond.replayed());
    } else {
      run((Admitted) decision, request, response, chain);
    }
  }

  private static void run(
      Admitted admitted,
      HttpServletRequest request,
      HttpServletResponse response,
      FilterChain chain)
      throws IOException, ServletException {
    BufferedRequest buffered = new BufferedRequest(request, admitted.body());
    CapturedResponse captured = new CapturedResponse(response, admitted.route().maxResponseBytes());
    try {
      chain.doFilter(buffered, captured);
      if (request.isAsyncStarted()) {
        throw new IllegalStateException(
            "IdempotencyFilter: the handler of route "
                + admitted.route().name()
                + " started async processing, whose response a filter cannot record; register"
                + " IdempotencyFilter without async support, or serve this route synchronously.");
      }
      captured.close();
    } catch (IOException | ServletException | RuntimeException | Error e) {
      admitted.abort(e);
      throw e;
    }
    if (captured.error() != null) {
      // a container error page is the container's, not the handler's: never recorded
      admitted.abort(new Admitted.NotRecorded(captured.status()));
      response.sendError(captured.status(), captured.error());
      return;
    }
    RecordedResponse instead =
        admitted.finish(
            captured.status(),
            name -> List.copyOf(response.getHeaders(name)),
            captured.body(),
            captured.overflowed());
    if (instead != null) {
      response.reset();
      send(response, instead, false);
      return;
    }
    response.setStatus(captured.status());
    byte[] body = captured.body();
    response.setContentLength(body.length);
    if (body.length > 0) {
      ServletOutputStream out = response.getOutputStream();
      out.write(body);
    }
  }

  private static void send(
      HttpServletResponse response, RecordedResponse recorded, boolean replayed)
      throws IOException {
    try {
      response.setStatus(recorded.status());
      for (Map.Entry<String, List<String>> header : recorded.headers().entrySet()) {
        boolean first = true;
        for (String value : header.getValue()) {
          if (first) {
            response.setHeader(header.getKey(), value);
            first = false;
          } else {
            response.addHeader(header.getKey(), value);
          }
        }
      }
      if (replayed) {
        response.setHeader(HttpIdempotency.IDEMPOTENT_REPLAYED, "true");
      }
      response.setContentLength(recorded.bodyLength());
      recorded.writeBodyTo(response.getOutputStream());
    } catch (IOException e) {
      if (recorded.status() != IdempotencyProblem.REQUEST_BODY_INCOMPLETE.status()) {
        throw e;
      }
      // the client that stopped sending its body is usually gone: nothing to tell it
    }
  }

  /** A servlet request as {@link HttpIdempotency} reads it. */
  private static final class ServletExchange implements Exchange {
    private final HttpServletRequest request;

    ServletExchange(HttpServletRequest request) {
      this.request = request;
    }

    @Override
    public String method() {
      return request.getMethod();
    }

    @Override
    public String path() {
      String uri = request.getRequestURI();
      String context = request.getContextPath();
      String path = context.isEmpty() ? uri : uri.substring(context.length());
      return path.isEmpty() ? "/" : path;
    }

    @Override
    public List<String> headers(String name) {
      return Collections.list(request.getHeaders(name));
    }

    @Override
    public Principal principal() {
      return request.getUserPrincipal();
    }

    @Override
    public String query() {
      return request.getQueryString();
    }

    @Override
    public byte[] readBody(int limit) throws IOException {
      return Bodies.read(request.getInputStream(), request.getContentLengthLong(), limit);
    }
  }
}
