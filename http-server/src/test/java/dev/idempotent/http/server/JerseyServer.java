package dev.idempotent.http.server;

import com.sun.net.httpserver.HttpServer;
import java.net.URI;
import org.glassfish.jersey.jdkhttp.JdkHttpServerFactory;
import org.glassfish.jersey.server.ResourceConfig;

/** Jersey 4 on the JDK's HTTP server, on a free loopback port. */
final class JerseyServer implements AutoCloseable {
  private final HttpServer server;

  private JerseyServer(HttpServer server) {
    this.server = server;
  }

  static JerseyServer start(ResourceConfig config) {
    return new JerseyServer(
        JdkHttpServerFactory.createHttpServer(URI.create("http://127.0.0.1:0/"), config));
  }

  int port() {
    return server.getAddress().getPort();
  }

  String url(String path) {
    return "http://127.0.0.1:" + port() + path;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
