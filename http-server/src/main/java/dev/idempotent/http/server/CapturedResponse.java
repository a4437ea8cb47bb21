package dev.idempotent.http.server;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * The response as the handler writes it: status and body are kept here until the handler returns,
 * headers go to the real response. A body larger than the limit is not kept (it is never recorded
 * truncated) and the bytes past it are discarded.
 */
final class CapturedResponse extends HttpServletResponseWrapper {
  private final BoundedBuffer body;
  private int status = SC_OK;
  private String error;
  private ServletOutputStream stream;
  private PrintWriter writer;

  CapturedResponse(HttpServletResponse response, int limit) {
    super(response);
    this.body = new BoundedBuffer(limit);
  }

  int status() {
    return status;
  }

  /** The message of {@code sendError}, or null when the handler did not call it. */
  String error() {
    return error;
  }

  boolean overflowed() {
    return body.overflowed();
  }

  byte[] body() {
    return body.bytes();
  }

  /** Flushes what the handler wrote through its writer into the body. */
  void close() {
    if (writer != null) {
      writer.flush();
    }
  }

  @Override
  public void setStatus(int sc) {
    this.status = sc;
  }

  @Override
  public int getStatus() {
    return status;
  }

  @Override
  public void sendError(int sc, String msg) {
    this.status = sc;
    this.error = msg == null ? "" : msg;
  }

  @Override
  public void sendError(int sc) {
    sendError(sc, null);
  }

  @Override
  public void sendRedirect(String location) {
    sendRedirect(location, SC_FOUND, true);
  }

  @Override
  public void sendRedirect(String location, boolean clearBuffer) {
    sendRedirect(location, SC_FOUND, clearBuffer);
  }

  @Override
  public void sendRedirect(String location, int sc) {
    sendRedirect(location, sc, true);
  }

  @Override
  public void sendRedirect(String location, int sc, boolean clearBuffer) {
    this.status = sc;
    setHeader("Location", location);
    if (clearBuffer) {
      resetBuffer();
    }
  }

  @Override
  public ServletOutputStream getOutputStream() {
    if (writer != null) {
      throw new IllegalStateException("getWriter() has been called on this response");
    }
    if (stream == null) {
      stream =
          new ServletOutputStream() {
            @Override
            public void write(int b) throws IOException {
              body.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
              body.write(b, off, len);
            }

            @Override
            public boolean isReady() {
              return true;
            }

            @Override
            public void setWriteListener(WriteListener listener) {
              throw new IllegalStateException(
                  "IdempotencyFilter buffers the response; non-blocking writes are not available");
            }
          };
    }
    return stream;
  }

  @Override
  public PrintWriter getWriter() {
    if (stream != null) {
      throw new IllegalStateException("getOutputStream() has been called on this response");
    }
    if (writer == null) {
      String encoding = getCharacterEncoding();
      Charset charset = encoding == null ? StandardCharsets.ISO_8859_1 : Charset.forName(encoding);
      writer = new PrintWriter(new OutputStreamWriter(body, charset));
    }
    return writer;
  }

  @Override
  public void flushBuffer() {
    if (writer != null) {
      writer.flush();
    }
  }

  @Override
  public boolean isCommitted() {
    return false;
  }

  @Override
  public void resetBuffer() {
    if (writer != null) {
      writer.flush();
    }
    body.reset();
  }

  @Override
  public void reset() {
    super.reset();
    resetBuffer();
    status = SC_OK;
    error = null;
  }
}
