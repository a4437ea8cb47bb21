package dev.idempotent.redis;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.CommandOutput;
import io.lettuce.core.output.IntegerOutput;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.output.ValueListOutput;
import io.lettuce.core.protocol.AsyncCommand;
import io.lettuce.core.protocol.Command;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Runs {@link RecordScript}s on one Lettuce connection, standalone or Cluster, and waits for each
 * answer at most the command timeout. Commands are dispatched with their own binary codec, so the
 * connection's codec (an application may share a {@code String} connection) never touches the
 * record's bytes. Thread-safe: Lettuce connections multiplex concurrent commands.
 */
final class ScriptRunner implements AutoCloseable {
  private static final int MAX_REDIRECTS = 5;

  private final StatefulConnection<byte[], byte[]> connection;
  private final MasterRoute route;
  private final Durability durability;
  private final long timeoutNanos;
  private final List<AutoCloseable> owned;

  /**
   * @param connection the connection to send commands on
   * @param route where durable writes and their {@code WAIT} go
   * @param durability how many replicas {@link #runReplicated} waits for
   * @param timeout the longest wait for an answer
   * @param owned what {@link #close()} closes, in order: what the store opened itself
   */
  ScriptRunner(
      StatefulConnection<?, ?> connection,
      MasterRoute route,
      Durability durability,
      Duration timeout,
      List<AutoCloseable> owned) {
    this.connection = binary(connection);
    this.route = route;
    this.durability = durability;
    this.timeoutNanos = timeout.toNanos();
    this.owned = List.copyOf(owned);
  }

  /**
   * Runs a script on one key: {@code EVALSHA}, and {@code EVAL} with the source only when the
   * server answers that it does not have the script (after a restart, a failover or {@code SCRIPT
   * FLUSH}).
   *
   * @param output a fresh output for each attempt
   * @param key the one key the script touches
   * @param args the script's {@code ARGV}: byte arrays, or numbers sent as decimal text
   * @throws RedisException when Redis answers with an error, cannot be reached, or does not answer
   *     within the timeout
   */
  <T> T run(
      RecordScript script,
      Supplier<CommandOutput<byte[], byte[], T>> output,
      byte[] key,
      Object... args) {
    return runOn(connection, false, script, output, key, args);
  }

  /**
   * Runs a script on the master that serves the key and, when {@code wrote} says the script wrote,
   * sends {@code WAIT} on the same connection and waits for the durability's number of replicas.
   * Follows a Cluster's {@code MOVED} and {@code ASK} answers itself, so that the {@code WAIT}
   * reaches the node that took the write.
   *
   * @throws ReplicationUnconfirmed when the script wrote but too few replicas acknowledged in time,
   *     or the {@code WAIT} failed
   * @throws RedisException when the script failed
   */
  <T> T runReplicated(
      RecordScript script,
      Supplier<CommandOutput<byte[], byte[], T>> output,
      Predicate<T> wrote,
      byte[] key,
      Object... args) {
    StatefulConnection<byte[], byte[]> target = route.master(key);
    boolean asking = false;
    for (int hop = 0; ; hop++) {
      T answer;
      try {
        answer = runOn(target, asking, script, output, key, args);
      } catch (RedisCommandExecutionException e) {
        Redirect redirect = Redirect.of(e);
        if (redirect == null || hop >= MAX_REDIRECTS) {
          throw e;
        }
        if (!redirect.ask) {
          route.topologyChanged();
        }
        target = route.node(redirect.host, redirect.port);
        asking = redirect.ask;
        continue;
      }
      if (wrote.test(answer)) {
        awaitReplicas(target, script);
      }
      return answer;
    }
  }

  /** Lets the route read the topology again before a write is sent again. */
  /**
   * Reads a record with a plain {@code HGETALL} on the connection that serves its key: its fields
   * and values, alternating, or an empty list when there is none. A read runs no script and writes
   * nothing, so it needs neither {@code WAIT} nor the script's redirect handling.
   *
   * @throws RedisException when the read failed
   */
  List<byte[]> read(byte[] key) {
    AsyncCommand<byte[], byte[], List<byte[]>> command =
        new AsyncCommand<>(
            new Command<>(
                CommandType.HGETALL,
                new ValueListOutput<>(ByteArrayCodec.INSTANCE),
                new CommandArgs<>(ByteArrayCodec.INSTANCE).addKey(key)));
    connection.dispatch(command);
    return await("record read", timeoutNanos, command);
  }

  void topologyChanged() {
    route.topologyChanged();
  }

  private <T> T runOn(
      StatefulConnection<byte[], byte[]> target,
      boolean asking,
      RecordScript script,
      Supplier<CommandOutput<byte[], byte[], T>> output,
      byte[] key,
      Object[] args) {
    try {
      return await(
          script.operation() + " script",
          timeoutNanos,
          dispatch(target, asking, CommandType.EVALSHA, script.sha(), output.get(), key, args));
    } catch (RedisNoScriptException unknown) {
      return await(
          script.operation() + " script",
          timeoutNanos,
          dispatch(target, asking, CommandType.EVAL, script.source(), output.get(), key, args));
    }
  }

  private void awaitReplicas(StatefulConnection<byte[], byte[]> target, RecordScript script) {
    int replicas = durability.replicas();
    long waitMillis = durability.timeout().toMillis();
    AsyncCommand<byte[], byte[], Long> wait =
        new AsyncCommand<>(
            new Command<>(
                CommandType.WAIT,
                new IntegerOutput<>(ByteArrayCodec.INSTANCE),
                new CommandArgs<>(ByteArrayCodec.INSTANCE).add(replicas).add(waitMillis)));
    Long acknowledged;
    try {
      target.dispatch(wait);
      acknowledged =
          await(
              "WAIT after the " + script.operation() + " script",
              timeoutNanos + durability.timeout().toNanos(),
              wait);
    } catch (RuntimeException e) {
      throw new ReplicationUnconfirmed(script, -1, durability, e);
    }
    if (acknowledged == null || acknowledged < replicas) {
      throw new ReplicationUnconfirmed(
          script, acknowledged == null ? 0 : acknowledged, durability, null);
    }
  }

  private <T> AsyncCommand<byte[], byte[], T> dispatch(
      StatefulConnection<byte[], byte[]> target,
      boolean asking,
      CommandType type,
      String scriptOrSha,
      CommandOutput<byte[], byte[], T> output,
      byte[] key,
      Object[] args) {
    CommandArgs<byte[], byte[]> commandArgs =
        new CommandArgs<>(ByteArrayCodec.INSTANCE).add(scriptOrSha).add(1).addKey(key);
    for (Object arg : args) {
      if (arg instanceof byte[]) {
        commandArgs.addValue((byte[]) arg);
      } else {
        commandArgs.add(((Number) arg).longValue());
      }
    }
    AsyncCommand<byte[], byte[], T> command =
        new AsyncCommand<>(new Command<>(type, output, commandArgs));
    if (asking) {
      // ASKING admits only the next command of this connection: both are written in one batch,
      // so no other thread's command comes between them.
      AsyncCommand<byte[], byte[], String> askingCommand =
          new AsyncCommand<>(
              new Command<>(CommandType.ASKING, new StatusOutput<>(ByteArrayCodec.INSTANCE)));
      target.dispatch(List.of(askingCommand, command));
    } else {
      target.dispatch(command);
    }
    return command;
  }

  private <T> T await(String what, long nanos, AsyncCommand<byte[], byte[], T> command) {
    try {
      return command.get(nanos, TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException) {
        throw (RuntimeException) cause;
      }
      throw new RedisException(cause);
    } catch (TimeoutException e) {
      // A cancelled command is dropped if it is still buffered, and its late answer is discarded.
      command.cancel(true);
      throw new RedisCommandTimeoutException(
          "Redis did not answer the "
              + what
              + " within "
              + TimeUnit.NANOSECONDS.toMillis(nanos)
              + " ms (RedisIdempotencyStore.Builder.commandTimeout"
              + (nanos > timeoutNanos ? " plus Durability.timeout)" : ")"));
    } catch (InterruptedException e) {
      command.cancel(true);
      Thread.currentThread().interrupt();
      throw new RedisException("interrupted while waiting for Redis to answer the " + what, e);
    }
  }

  /**
   * The connection's command API is never used: {@link #dispatch} encodes with the command's own
   * codec and decodes into the command's own output, so any connection serves as a binary one.
   */
  @SuppressWarnings("unchecked")
  static StatefulConnection<byte[], byte[]> binary(StatefulConnection<?, ?> connection) {
    return (StatefulConnection<byte[], byte[]>) connection;
  }

  /** A {@code MOVED} or {@code ASK} answer of a Cluster node. */
  private static final class Redirect {
    final boolean ask;
    final String host;
    final int port;

    private Redirect(boolean ask, String host, int port) {
      this.ask = ask;
      this.host = host;
      this.port = port;
    }

    /** The redirect an error answer names ({@code MOVED 3999 127.0.0.1:6381}), or null. */
    static Redirect of(RedisCommandExecutionException e) {
      String message = e.getMessage();
      if (message == null || !(message.startsWith("MOVED ") || message.startsWith("ASK "))) {
        return null;
      }
      String[] parts = message.trim().split(" ");
      if (parts.length < 3) {
        return null;
      }
      int colon = parts[2].lastIndexOf(':');
      if (colon < 0) {
        return null;
      }
      try {
        return new Redirect(
            parts[0].equals("ASK"),
            parts[2].substring(0, colon),
            Integer.parseInt(parts[2].substring(colon + 1)));
      } catch (NumberFormatException notARedirect) {
        return null;
      }
    }
  }

  /**
   * A script wrote on the master, but its {@code WAIT} failed or too few replicas acknowledged in
   * time: the write may be lost if the master fails over now.
   */
  static final class ReplicationUnconfirmed extends RedisException {
    private static final long serialVersionUID = 1L;

    /** The replicas that acknowledged; -1 when the {@code WAIT} itself failed. */
    final long acknowledged;

    ReplicationUnconfirmed(
        RecordScript script, long acknowledged, Durability durability, RuntimeException cause) {
      super(
          acknowledged < 0
              ? "the "
                  + script.operation()
                  + " was written on the master, but waiting for "
                  + durability.replicas()
                  + " replica(s) to acknowledge it failed: "
                  + cause
              : "the "
                  + script.operation()
                  + " was written on the master, but only "
                  + acknowledged
                  + " of "
                  + durability.replicas()
                  + " replica(s) acknowledged it within "
                  + durability.timeout().toMillis()
                  + " ms (RedisIdempotencyStore.Builder.durability)",
          cause);
      this.acknowledged = acknowledged;
    }

    /** Whether the connection failed, as it does when the master dies or is demoted. */
    boolean connectionLost() {
      return acknowledged < 0;
    }
  }

  /** Closes what the store opened itself: its connection, then its client. */
  @Override
  public void close() {
    RuntimeException failure = null;
    for (AutoCloseable closeable : owned) {
      try {
        closeable.close();
      } catch (Exception e) {
        if (failure == null) {
          failure = new RedisException("closing the Redis idempotency store failed", e);
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }
}
