package dev.idempotent.http.server;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.io.UnsupportedEncodingException;
import java.net.URLDecoder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The request as the handler sees it after the filter read its body: the body comes from the copy,
 * and form parameters ({@code application/x-www-form-urlencoded}) are parsed from it, since the
 * container can no longer read them from the connection.
 */
final class BufferedRequest extends HttpServletRequestWrapper {
  private final byte[] body;
  private boolean streamTaken;
  private boolean readerTaken;
  private Map<String, String[]> parameters;

  BufferedRequest(HttpServletRequest request, byte[] body) {
    super(request);
    this.body = body;
  }

  @Override
  public ServletInputStream getInputStream() {
    if (readerTaken) {
      throw new IllegalStateException("getReader() has been called on this request");
    }
    streamTaken = true;
    ByteArrayInputStream in = new ByteArrayInputStream(body);
    return new ServletInputStream() {
      @Override
      public int read() {
        return in.read();
      }

      @Override
      public int read(byte[] b, int off, int len) {
        return in.read(b, off, len);
      }

      @Override
      public boolean isFinished() {
        return in.available() == 0;
      }

      @Override
      public boolean isReady() {
        return true;
      }

      @Override
      public void setReadListener(ReadListener listener) {
        throw new IllegalStateException(
            "IdempotencyFilter has read the body already; non-blocking reads are not available");
      }
    };
  }

  @Override
  public BufferedReader getReader() throws UnsupportedEncodingException {
    if (streamTaken) {
      throw new IllegalStateException("getInputStream() has been called on this request");
    }
    readerTaken = true;
    return new BufferedReader(new InputStreamReader(new ByteArrayInputStream(body), charset()));
  }

  private Charset charset() throws UnsupportedEncodingException {
    String encoding = getCharacterEncoding();
    try {
      return encoding == null ? StandardCharsets.ISO_8859_1 : Charset.forName(encoding);
    } catch (IllegalArgumentException e) {
      throw new UnsupportedEncodingException(encoding);
    }
  }

  @Override
  public String getParameter(String name) {
    String[] values = parameters().get(name);
    return values == null ? null : values[0];
  }

  @Override
  public Map<String, String[]> getParameterMap() {
    return parameters();
  }

  @Override
  public Enumeration<String> getParameterNames() {
    return Collections.enumeration(parameters().keySet());
  }

  @Override
  public String[] getParameterValues(String name) {
    String[] values = parameters().get(name);
    return values == null ? null : values.clone();
  }

  private Map<String, String[]> parameters() {
    if (parameters == null) {
      String type = getContentType();
      boolean form =
          type != null
              && type.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded");
      if (!form) {
        parameters = super.getParameterMap();
      } else {
        Map<String, List<String>> collected = new LinkedHashMap<>();
        Charset charset;
        try {
          charset = charset();
        } catch (UnsupportedEncodingException e) {
          charset = StandardCharsets.UTF_8;
        }
        parse(getQueryString(), StandardCharsets.UTF_8, collected);
        parse(new String(body, StandardCharsets.ISO_8859_1), charset, collected);
        Map<String, String[]> result = new LinkedHashMap<>();
        collected.forEach((k, v) -> result.put(k, v.toArray(new String[0])));
        parameters = Collections.unmodifiableMap(result);
      }
    }
    return parameters;
  }

  private static void parse(String encoded, Charset charset, Map<String, List<String>> into) {
    if (encoded == null || encoded.isEmpty()) {
      return;
    }
    for (String pair : encoded.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      into.computeIfAbsent(URLDecoder.decode(name, charset), k -> new ArrayList<>())
          .add(URLDecoder.decode(value, charset));
    }
  }
}
