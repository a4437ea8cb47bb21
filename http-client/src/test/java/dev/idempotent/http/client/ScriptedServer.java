package dev.idempotent.http.client;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * An HTTP/1.1 server on a raw socket at 127.0.0.1 that answers each request with the next reply of
 * a script (the last reply repeats), so a test can answer, drop the connection after reading the
 * body, reset it, or never answer. It records every request it read.
 */
final class ScriptedServer implements AutoCloseable {
  /** A request as the server read it; header names in lower case. */
  record Received(String method, String path, Map<String, List<String>> headers, String body) {
    List<String> header(String name) {
      return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
    }
  }

  /** What the server does with one request it has read. */
  interface Reply {
    /**
     * @return true to keep reading requests on this connection
     */
    boolean apply(Socket socket, OutputStream out) throws IOException;
  }

  private final ServerSocket serverSocket;
  private final Function<Received, Reply> replies;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final List<Socket> connections = new CopyOnWriteArrayList<>();

  ScriptedServer(Reply... script) throws IOException {
    this(inTurn(List.of(script)));
  }

  /** A server that chooses each reply from the request it read. */
  ScriptedServer(Function<Received, Reply> replies) throws IOException {
    this.replies = replies;
    this.serverSocket = new ServerSocket();
    serverSocket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    Thread acceptor = new Thread(this::acceptLoop, "scripted-server-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  private static Function<Received, Reply> inTurn(List<Reply> script) {
    AtomicInteger next = new AtomicInteger();
    return request -> script.get(Math.min(next.getAndIncrement(), script.size() - 1));
  }

  static Reply respond(int status, String body, String... headerNamesAndValues) {
    return (socket, out) -> {
      StringBuilder head = new StringBuilder("HTTP/1.1 " + status + " Scripted\r\n");
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      head.append("Content-Length: ").append(bytes.length).append("\r\n");
      for (int i = 0; i < headerNamesAndValues.length; i += 2) {
        head.append(headerNamesAndValues[i])
            .append(": ")
            .append(headerNamesAndValues[i + 1])
            .append("\r\n");
      }
      head.append("\r\n");
      out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
      out.write(bytes);
      out.flush();
      return true;
    };
  }

  /** Closes the connection after reading the body, before any byte of a response. */
  static Reply drop() {
    return (socket, out) -> {
      socket.close();
      return false;
    };
  }

  /** Resets the connection (RST) after reading the body. */
  static Reply reset() {
    return (socket, out) -> {
      socket.setSoLinger(true, 0);
      socket.close();
      return false;
    };
  }

  /** Never answers; the connection stays open until the client or the server closes it. */
  static Reply hang() {
    return (socket, out) -> {
      while (socket.getInputStream().read() != -1) {
        // discard anything more the client sends
      }
      return false;
    };
  }

  /** A port on loopback that nothing listens on (bound, then closed again). */
  static int closedPort() throws IOException {
    try (ServerSocket probe = new ServerSocket()) {
      probe.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      return probe.getLocalPort();
    }
  }

  InetSocketAddress address() {
    return (InetSocketAddress) serverSocket.getLocalSocketAddress();
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + serverSocket.getLocalPort() + path);
  }

  List<Received> received() {
    return List.copyOf(received);
  }

  @Override
  public void close() throws IOException {
    serverSocket.close();
    for (Socket connection : connections) {
      connection.close();
    }
  }

  private void acceptLoop() {
    while (!serverSocket.isClosed()) {
      try {
        Socket socket = serverSocket.accept();
        connections.add(socket);
        Thread handler = new Thread(() -> serve(socket), "scripted-server-connection");
        handler.setDaemon(true);
        handler.start();
      } catch (IOException closed) {
        return;
      }
    }
  }

  private void serve(Socket socket) {
    try (socket) {
      InputStream in = new BufferedInputStream(socket.getInputStream());
      OutputStream out = socket.getOutputStream();
      while (true) {
        Received request = read(in);
        if (request == null) {
          return;
        }
        received.add(request);
        if (!replies.apply(request).apply(socket, out)) {
          return;
        }
      }
    } catch (SocketException closed) {
      // the client or the test closed the connection
    } catch (IOException e) {
      throw new IllegalStateException("scripted server failed", e);
    }
  }

  private static Received read(InputStream in) throws IOException {
    String requestLine = line(in);
    if (requestLine == null || requestLine.isEmpty()) {
      return null;
    }
    String[] parts = requestLine.split(" ");
    Map<String, List<String>> headers = new TreeMap<>();
    for (String header = line(in); header != null && !header.isEmpty(); header = line(in)) {
      int colon = header.indexOf(':');
      headers
          .computeIfAbsent(
              header.substring(0, colon).trim().toLowerCase(Locale.ROOT), name -> new ArrayList<>())
          .add(header.substring(colon + 1).trim());
    }
    byte[] body;
    if (headers.getOrDefault("transfer-encoding", List.of()).contains("chunked")) {
      ByteArrayOutputStream chunks = new ByteArrayOutputStream();
      for (int size = Integer.parseInt(line(in).trim(), 16); size > 0; ) {
        chunks.write(in.readNBytes(size));
        line(in);
        size = Integer.parseInt(line(in).trim(), 16);
      }
      line(in);
      body = chunks.toByteArray();
    } else {
      body =
          in.readNBytes(
              Integer.parseInt(headers.getOrDefault("content-length", List.of("0")).get(0)));
    }
    return new Received(parts[0], parts[1], headers, new String(body, StandardCharsets.UTF_8));
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (int b = in.read(); b != -1; b = in.read()) {
      if (b == '\n') {
        String text = bytes.toString(StandardCharsets.ISO_8859_1);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
      }
      bytes.write(b);
    }
    return null;
  }
}
