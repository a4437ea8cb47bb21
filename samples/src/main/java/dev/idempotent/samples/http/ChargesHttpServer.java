package dev.idempotent.samples.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.idempotent.IdempotencyEngine;
import dev.idempotent.http.server.HttpIdempotency;
import dev.idempotent.http.server.IdempotencyFilter;
import dev.idempotent.http.server.RequestScope;
import dev.idempotent.http.server.Route;
import dev.idempotent.samples.payments.CardGateway;
import dev.idempotent.samples.payments.GatewayTimeoutException;
import dev.idempotent.samples.payments.Receipt;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * {@code POST /charges} with an {@code Idempotency-Key} header, on embedded Jetty, protected by
 * {@link IdempotencyFilter} from {@code idempotent-http-server}. The servlet only charges; the
 * filter does the rest, as the IETF Idempotency-Key draft maps it:
 *
 * <ul>
 *   <li>no key: 400 ({@code idempotency-key-missing});
 *   <li>first request: the charge, 201 with the receipt;
 *   <li>a replay: the first response, status, headers and body, with {@code Idempotent-Replayed:
 *       true};
 *   <li>a duplicate while the first is in flight: 409;
 *   <li>the same key with a different body: 422;
 *   <li>the gateway times out: 502 from the servlet, and the filter releases the key (a 5xx is not
 *       recorded), so a retry charges;
 *   <li>the store is unavailable: 503 with {@code Retry-After}, and nothing is charged.
 * </ul>
 */
public final class ChargesHttpServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Server server;
  private final ServerConnector connector;

  /**
   * Starts the server.
   *
   * @param port the port, or 0 for any free one
   * @param engine the engine whose store keeps the responses
   * @param gateway the card gateway
   * @throws Exception when Jetty does not start
   */
  public ChargesHttpServer(int port, IdempotencyEngine engine, CardGateway gateway)
      throws Exception {
    HttpIdempotency idempotency =
        HttpIdempotency.builder(engine)
            // One client in this sample. A real service scopes keys by the authenticated client,
            // RequestScope.authenticatedUser() or RequestScope.header("X-Api-Key").
            .scope(RequestScope.none())
            .route(Route.post("/charges").ttl(Duration.ofHours(24)).build())
            .build();
    server = new Server();
    connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(port);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    context.addFilter(
        new FilterHolder(new IdempotencyFilter(idempotency)),
        "/*",
        EnumSet.of(DispatcherType.REQUEST));
    context.addServlet(new ServletHolder(new ChargesServlet(gateway)), "/charges");
    server.setHandler(context);
    server.start();
  }

  /** The port the server listens on. */
  public int port() {
    return connector.getLocalPort();
  }

  /** Charges a card; knows nothing of idempotency keys. */
  private static final class ChargesServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private final transient CardGateway gateway;

    ChargesServlet(CardGateway gateway) {
      this.gateway = gateway;
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response)
        throws IOException {
      JsonNode body;
      try {
        body = JSON.readTree(request.getInputStream());
      } catch (IOException e) {
        reply(response, 400, Map.of("error", "the body is not JSON"));
        return;
      }
      try {
        Receipt receipt =
            gateway.charge(
                body.path("customer").asText(),
                new BigDecimal(body.path("amount").asText("0")),
                body.path("currency").asText());
        response.setHeader("Location", "/charges/" + receipt.id());
        reply(response, 201, receipt);
      } catch (GatewayTimeoutException e) {
        reply(response, 502, Map.of("error", "the card network timed out; nothing was charged"));
      }
    }

    private static void reply(HttpServletResponse response, int status, Object body)
        throws IOException {
      response.setStatus(status);
      response.setContentType("application/json");
      response.getOutputStream().write(JSON.writeValueAsBytes(body));
    }
  }

  /** Stops the server. */
  @Override
  public void close() throws Exception {
    server.stop();
  }

  /**
   * Runs the server on port 8080 (or the first argument) with the default Caffeine engine.
   *
   * @param args optional port
   * @throws Exception when Jetty does not start
   */
  public static void main(String[] args) throws Exception {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 8080;
    ChargesHttpServer server =
        new ChargesHttpServer(port, IdempotencyEngine.builder().build(), new CardGateway());
    System.out.println(
        "POST http://127.0.0.1:" + server.port() + "/charges with an Idempotency-Key header");
  }
}
