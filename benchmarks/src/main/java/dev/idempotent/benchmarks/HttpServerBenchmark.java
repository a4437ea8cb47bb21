package dev.idempotent.benchmarks;

import dev.idempotent.IdempotencyEngine;
import dev.idempotent.http.server.HttpIdempotency;
import dev.idempotent.http.server.IdempotencyFilter;
import dev.idempotent.http.server.RequestScope;
import dev.idempotent.http.server.Route;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One HTTP request over loopback to embedded Jetty 12, from the JDK's {@code HttpClient} on one
 * kept-alive connection per server: the same servlet and the same request (a {@code POST /charges}
 * with a 60-byte JSON body and an {@code Idempotency-Key}) behind {@link IdempotencyFilter} and
 * without it, two servers in the same JVM and trial.
 *
 * <ul>
 *   <li>{@code unfiltered}: the servlet alone runs on every request;
 *   <li>{@code replayed}: the filter answers with the recorded response of a key completed in
 *       set-up (Caffeine store), so the servlet does not run;
 *   <li>{@code firstRequest}: a new key on every request, so the servlet runs and its response is
 *       recorded.
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class HttpServerBenchmark {
  private static final byte[] BODY =
      "{\"customer\":\"c-7\",\"amount\":\"42.00\",\"currency\":\"EUR\",\"n\":1}"
          .getBytes(StandardCharsets.UTF_8);

  private Server filtered;
  private Server plain;
  private HttpClient client;
  private HttpRequest replay;
  private HttpRequest unfiltered;
  private URI filteredUri;
  private final AtomicLong keys = new AtomicLong();

  /** The endpoint: reads the body, answers 201 with a receipt and a Location. */
  static final class Charges extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private final AtomicLong ids = new AtomicLong();

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response)
        throws IOException {
      byte[] body = request.getInputStream().readAllBytes();
      long id = ids.incrementAndGet();
      response.setStatus(201);
      response.setContentType("application/json");
      response.setHeader("Location", "/charges/ch_" + id);
      response
          .getOutputStream()
          .write(
              ("{\"id\":\"ch_"
                      + id
                      + "\",\"customer\":\"c-7\",\"amount\":\"42.00\",\"currency\":\"EUR\","
                      + "\"status\":\"succeeded\",\"received\":"
                      + body.length
                      + "}")
                  .getBytes(StandardCharsets.UTF_8));
    }
  }

  /** Starts both servers and records the key that {@link #replayed} replays. */
  @Setup(Level.Trial)
  public void start() throws Exception {
    IdempotencyEngine engine = IdempotencyEngine.builder().build();
    HttpIdempotency idempotency =
        HttpIdempotency.builder(engine)
            .scope(RequestScope.header("X-Api-Key"))
            .route(Route.post("/charges").build())
            .build();
    filtered = jetty(new IdempotencyFilter(idempotency));
    plain = jetty(null);
    client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    filteredUri = uri(filtered);
    replay = request(filteredUri, "replayed-key");
    unfiltered = request(uri(plain), "replayed-key");
    HttpResponse<byte[]> first = client.send(replay, HttpResponse.BodyHandlers.ofByteArray());
    HttpResponse<byte[]> again = client.send(replay, HttpResponse.BodyHandlers.ofByteArray());
    HttpResponse<byte[]> bare = client.send(unfiltered, HttpResponse.BodyHandlers.ofByteArray());
    if (first.statusCode() != 201
        || !again.headers().firstValue("Idempotent-Replayed").orElse("").equals("true")
        || bare.statusCode() != 201
        || bare.headers().firstValue("Idempotent-Replayed").isPresent()) {
      throw new IllegalStateException(
          "fixture: expected 201, a replay, and an unfiltered 201; got "
              + first.statusCode()
              + ", "
              + again.headers().map()
              + ", "
              + bare.statusCode());
    }
  }

  private static Server jetty(Filter filter) throws Exception {
    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    if (filter != null) {
      context.addFilter(new FilterHolder(filter), "/*", EnumSet.of(DispatcherType.REQUEST));
    }
    context.addServlet(new ServletHolder(new Charges()), "/charges");
    server.setHandler(context);
    server.start();
    return server;
  }

  private static URI uri(Server server) {
    int port = ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    return URI.create("http://127.0.0.1:" + port + "/charges");
  }

  private static HttpRequest request(URI uri, String key) {
    return HttpRequest.newBuilder(uri)
        .header("Content-Type", "application/json")
        .header("X-Api-Key", "client-1")
        .header("Idempotency-Key", key)
        .POST(HttpRequest.BodyPublishers.ofByteArray(BODY))
        .build();
  }

  /** Stops both servers. */
  @TearDown(Level.Trial)
  public void stop() throws Exception {
    filtered.stop();
    plain.stop();
  }

  /** The servlet alone. */
  @Benchmark
  public byte[] unfiltered() throws Exception {
    return client.send(unfiltered, HttpResponse.BodyHandlers.ofByteArray()).body();
  }

  /** A retry answered by the filter from the record. */
  @Benchmark
  public byte[] replayed() throws Exception {
    return client.send(replay, HttpResponse.BodyHandlers.ofByteArray()).body();
  }

  /** A new key: the servlet runs and its response is recorded. */
  @Benchmark
  public byte[] firstRequest() throws Exception {
    HttpRequest request = request(filteredUri, "k-" + keys.incrementAndGet());
    return client.send(request, HttpResponse.BodyHandlers.ofByteArray()).body();
  }
}
