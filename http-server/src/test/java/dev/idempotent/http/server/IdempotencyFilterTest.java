package dev.idempotent.http.server;

import static dev.idempotent.http.server.Wire.post;
import static dev.idempotent.http.server.Wire.request;
import static dev.idempotent.http.server.Wire.send;
import static dev.idempotent.http.server.Wire.text;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.idempotent.IdempotencyEngine;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.security.Principal;
import org.junit.jupiter.api.Test;

/** The servlet filter in Jetty 12 (ee10), and what only servlets have. */
class IdempotencyFilterTest extends AdapterBehaviourTest {
  private final TestApp app = new TestApp();
  private JettyServer server;

  @Override
  void start(HttpIdempotency idempotency) throws Exception {
    server = JettyServer.start(app, new IdempotencyFilter(idempotency));
  }

  @Override
  void stop() throws Exception {
    server.close();
  }

  @Override
  Runs runs() {
    return app.runs;
  }

  @Override
  int port() {
    return server.port();
  }

  @Test
  void sendErrorIsLeftToTheContainerAndNotRecorded() throws Exception {
    assertEquals(404, post(url("/error/404"), "k-1", BODY).statusCode());
    assertEquals(404, post(url("/error/404"), "k-1", BODY).statusCode());
    assertEquals(2, runs().of("/error/404"));
  }

  @Test
  void formParametersReachTheHandlerAfterTheFilterReadTheBody() throws Exception {
    HttpResponse<byte[]> response =
        send(
            request(
                url("/form"),
                "k-1",
                "amount=42.00&currency=EUR",
                "Content-Type",
                "application/x-www-form-urlencoded"));
    assertEquals("amount=42.00 run 1", text(response));
  }

  @Test
  void keyWithControlCharactersIs400() throws Exception {
    String answer = Wire.rawPost(port(), "/charges", "Idempotency-Key: \"a\tb\"\r\n", BODY);
    assertEquals(400, Wire.status(answer), answer);
    assertEquals(
        HttpIdempotency.DEFAULT_PROBLEM_BASE + IdempotencyProblem.KEY_INVALID.slug(),
        Wire.problemType(answer),
        answer);
    // Jetty's parser refuses DEL and the other controls in a field value before any filter runs
    answer = Wire.rawPost(port(), "/charges", "Idempotency-Key: a\u007fb\r\n", BODY);
    assertEquals(400, Wire.status(answer), answer);
    assertEquals(0, runs().total());
  }

  /** Authenticates a request as the user named in its X-User header, as a security filter would. */
  private static final class HeaderLogin extends HttpFilter {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doFilter(HttpServletRequest req, HttpServletResponse res, FilterChain chain)
        throws IOException, ServletException {
      String user = req.getHeader("X-User");
      chain.doFilter(
          new HttpServletRequestWrapper(req) {
            @Override
            public Principal getUserPrincipal() {
              return user == null ? null : () -> user;
            }
          },
          res);
    }
  }

  @Test
  void keysScopedByTheAuthenticatedUserAreTheirOwn() throws Exception {
    TestApp app = new TestApp();
    HttpIdempotency byUser =
        HttpIdempotency.builder(IdempotencyEngine.builder().build())
            .scope(RequestScope.authenticatedUser())
            .route(Route.post("/charges").build())
            .build();
    try (JettyServer users =
        JettyServer.start(app, new HeaderLogin(), new IdempotencyFilter(byUser))) {
      String url = users.url("/charges");
      HttpResponse<byte[]> alice = send(request(url, "shared", BODY, "X-User", "alice"));
      HttpResponse<byte[]> bob = send(request(url, "shared", BODY, "X-User", "bob"));
      HttpResponse<byte[]> aliceAgain = send(request(url, "shared", BODY, "X-User", "alice"));

      assertEquals(201, bob.statusCode());
      assertTrue(bob.headers().firstValue("Idempotent-Replayed").isEmpty());
      assertArrayEquals(alice.body(), aliceAgain.body());
      assertEquals("true", aliceAgain.headers().firstValue("Idempotent-Replayed").orElse(null));
      Wire.assertProblem(send(request(url, "shared", BODY)), IdempotencyProblem.SCOPE_MISSING);
      assertEquals(2, app.runs.of("/charges"));
    }
  }
}
