package dev.idempotent.http.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy at 127.0.0.1 in front of one or more servers, taken in turn per connection. On the
 * first {@code responsesToLose} connections it forwards the request, waits until the server starts
 * to answer (so the request has run), then closes the client's connection without passing on a byte
 * of the response: the response is lost on its way back, the way a load balancer or a flaky network
 * loses one.
 */
final class LosingProxy implements AutoCloseable {
  private final ServerSocket serverSocket;
  private final List<InetSocketAddress> upstreams;
  private final AtomicInteger connections = new AtomicInteger();
  private final AtomicInteger toLose;
  private final List<Integer> upstreamPerConnection = new CopyOnWriteArrayList<>();
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();

  LosingProxy(int responsesToLose, List<InetSocketAddress> upstreams) throws IOException {
    this.upstreams = List.copyOf(upstreams);
    this.toLose = new AtomicInteger(responsesToLose);
    this.serverSocket = new ServerSocket();
    serverSocket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    start("losing-proxy-accept", this::acceptLoop);
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + serverSocket.getLocalPort() + path);
  }

  /** For each connection the proxy accepted, in order, the index of the server it went to. */
  List<Integer> upstreamPerConnection() {
    return List.copyOf(upstreamPerConnection);
  }

  @Override
  public void close() throws IOException {
    serverSocket.close();
    for (Socket socket : sockets) {
      socket.close();
    }
  }

  private void acceptLoop() {
    while (!serverSocket.isClosed()) {
      try {
        Socket client = serverSocket.accept();
        int index = connections.getAndIncrement() % upstreams.size();
        upstreamPerConnection.add(index);
        Socket server = new Socket();
        server.connect(upstreams.get(index));
        sockets.add(client);
        sockets.add(server);
        boolean lose = toLose.getAndDecrement() > 0;
        start("losing-proxy-request", () -> pipe(client, server, false));
        start("losing-proxy-response", () -> pipe(server, client, lose));
      } catch (IOException closed) {
        return;
      }
    }
  }

  /**
   * Copies {@code from} to {@code to}; when {@code lose}, reads the first bytes of the response and
   * closes both sides instead of passing them on.
   */
  private static void pipe(Socket from, Socket to, boolean lose) {
    byte[] buffer = new byte[8192];
    try {
      InputStream in = from.getInputStream();
      OutputStream out = to.getOutputStream();
      for (int n = in.read(buffer); n != -1; n = in.read(buffer)) {
        if (lose) {
          break;
        }
        out.write(buffer, 0, n);
        out.flush();
      }
    } catch (IOException closed) {
      // one side went away; close both below
    } finally {
      closeQuietly(from);
      closeQuietly(to);
    }
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing is all that is left to do
    }
  }

  private static void start(String name, Runnable body) {
    Thread thread = new Thread(body, name);
    thread.setDaemon(true);
    thread.start();
  }
}
