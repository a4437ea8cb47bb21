package dev.idempotent.jdbc;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import javax.sql.DataSource;

/** A DataSource that counts the statements executed through it, and keeps their SQL. */
final class CountingDataSource implements DataSource {
  private final DataSource target;
  private final AtomicInteger executed = new AtomicInteger();
  private final List<String> sql = new CopyOnWriteArrayList<>();

  CountingDataSource(DataSource target) {
    this.target = target;
  }

  /** Statements executed since the last reset. */
  int executed() {
    return executed.get();
  }

  /** The first words of each statement executed since the last reset. */
  List<String> statements() {
    return List.copyOf(sql);
  }

  void reset() {
    executed.set(0);
    sql.clear();
  }

  @Override
  public Connection getConnection() throws SQLException {
    return wrap(target.getConnection());
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    return wrap(target.getConnection(username, password));
  }

  private Connection wrap(Connection connection) {
    InvocationHandler handler =
        (proxy, method, args) -> {
          Object result = invoke(connection, method, args);
          if (result instanceof Statement) {
            String text =
                args != null && args.length > 0 && args[0] instanceof String
                    ? (String) args[0]
                    : null;
            return countingStatement((Statement) result, method.getReturnType(), text);
          }
          return result;
        };
    return (Connection)
        Proxy.newProxyInstance(
            Connection.class.getClassLoader(), new Class<?>[] {Connection.class}, handler);
  }

  private Statement countingStatement(Statement statement, Class<?> type, String prepared) {
    InvocationHandler handler =
        (proxy, method, args) -> {
          if (method.getName().startsWith("execute")) {
            executed.incrementAndGet();
            String text = prepared != null ? prepared : (String) args[0];
            sql.add(text.strip().split("\\s+", 2)[0]);
          }
          return invoke(statement, method, args);
        };
    return (Statement)
        Proxy.newProxyInstance(Statement.class.getClassLoader(), new Class<?>[] {type}, handler);
  }

  private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  @Override
  public PrintWriter getLogWriter() throws SQLException {
    return target.getLogWriter();
  }

  @Override
  public void setLogWriter(PrintWriter out) throws SQLException {
    target.setLogWriter(out);
  }

  @Override
  public void setLoginTimeout(int seconds) throws SQLException {
    target.setLoginTimeout(seconds);
  }

  @Override
  public int getLoginTimeout() throws SQLException {
    return target.getLoginTimeout();
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    return target.getParentLogger();
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    return target.unwrap(iface);
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) throws SQLException {
    return target.isWrapperFor(iface);
  }
}
