package dev.idempotent.micrometer;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.helpers.NOPMDCAdapter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * An SLF4J 2 binding for tests, found through {@code META-INF/services}: every logger is enabled at
 * every level and keeps each line, with the full text of its exception (messages, causes,
 * suppressed exceptions and stack), so a test can search everything the library wrote.
 */
public final class CapturingLogProvider implements SLF4JServiceProvider {
  /** Everything logged in this JVM since the last {@link #clear()}. */
  static final List<Line> LINES = new CopyOnWriteArrayList<>();

  /** One logged line as it would be written out. */
  record Line(Level level, String logger, String message, String exception) {
    /** The message and the exception's full text together. */
    String text() {
      return message + "\n" + exception;
    }
  }

  private final ILoggerFactory loggers = CapturingLogger::new;
  private final IMarkerFactory markers = new BasicMarkerFactory();
  private final MDCAdapter mdc = new NOPMDCAdapter();

  /** Forgets the lines logged so far. */
  static void clear() {
    LINES.clear();
  }

  @Override
  public ILoggerFactory getLoggerFactory() {
    return loggers;
  }

  @Override
  public IMarkerFactory getMarkerFactory() {
    return markers;
  }

  @Override
  public MDCAdapter getMDCAdapter() {
    return mdc;
  }

  @Override
  public String getRequestedApiVersion() {
    return "2.0.99";
  }

  @Override
  public void initialize() {}

  private static final class CapturingLogger extends LegacyAbstractLogger {
    CapturingLogger(String name) {
      this.name = name;
    }

    @Override
    public boolean isTraceEnabled() {
      return true;
    }

    @Override
    public boolean isDebugEnabled() {
      return true;
    }

    @Override
    public boolean isInfoEnabled() {
      return true;
    }

    @Override
    public boolean isWarnEnabled() {
      return true;
    }

    @Override
    public boolean isErrorEnabled() {
      return true;
    }

    @Override
    protected String getFullyQualifiedCallerName() {
      return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(
        Level level, Marker marker, String pattern, Object[] arguments, Throwable throwable) {
      String message = MessageFormatter.basicArrayFormat(pattern, arguments);
      String exception = "";
      if (throwable != null) {
        StringWriter text = new StringWriter();
        throwable.printStackTrace(new PrintWriter(text));
        exception = text.toString();
      }
      LINES.add(new Line(level, name, message, exception));
    }
  }
}
