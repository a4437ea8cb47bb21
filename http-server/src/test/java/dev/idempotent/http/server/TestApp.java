package dev.idempotent.http.server;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The servlet application behind the filter in tests: each path behaves one way, and every run of a
 * handler is counted in {@link #runs}, so a test sees whether the handler ran.
 *
 * <ul>
 *   <li>{@code /charges}: 201, Location, X-Request-Id, Set-Cookie, a JSON body naming the run
 *   <li>{@code /slow}, {@code /slow-wait}, {@code /slow-wait-long}: as /charges, once the test
 *       releases it ({@link Runs#holdSlow()})
 *   <li>{@code /status/NNN}: answers NNN with a small body
 *   <li>{@code /throws}: throws
 *   <li>{@code /big/N}: 200 with N bytes
 *   <li>{@code /form}: echoes the form parameter {@code amount}
 *   <li>{@code /error/NNN}: sendError(NNN)
 * </ul>
 */
final class TestApp extends HttpServlet {
  private static final long serialVersionUID = 1L;

  final Runs runs = new Runs();

  @Override
  protected void service(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    String path = request.getRequestURI();
    int run = runs.run(path);
    byte[] requestBody = request.getInputStream().readAllBytes();
    if (path.startsWith("/slow")) {
      runs.holdSlow();
    }
    if (path.equals("/charges") || path.startsWith("/slow")) {
      response.setStatus(201);
      response.setContentType("application/json");
      response.setHeader("Location", "/charges/ch_" + run);
      response.setHeader("X-Request-Id", "req-" + run);
      response.addHeader("Set-Cookie", "session=" + run);
      response.getWriter().write(Runs.charge(run, requestBody.length));
    } else if (path.startsWith("/status/")) {
      response.setStatus(Integer.parseInt(path.substring("/status/".length())));
      response.setContentType("text/plain");
      response.getOutputStream().write(("run " + run).getBytes(StandardCharsets.UTF_8));
    } else if (path.equals("/throws")) {
      throw new IllegalStateException("the handler failed");
    } else if (path.startsWith("/big/")) {
      int size = Integer.parseInt(path.substring("/big/".length()));
      response.setContentType("application/octet-stream");
      byte[] chunk = new byte[1024];
      for (int written = 0; written < size; written += chunk.length) {
        response.getOutputStream().write(chunk, 0, Math.min(chunk.length, size - written));
      }
    } else if (path.equals("/form")) {
      response.setContentType("text/plain");
      response.getWriter().write("amount=" + request.getParameter("amount") + " run " + run);
    } else if (path.startsWith("/error/")) {
      response.sendError(Integer.parseInt(path.substring("/error/".length())), "no such thing");
    } else {
      response.setStatus(200);
      response.getWriter().write("unprotected run " + run);
    }
  }
}
