package dev.idempotent.redis;

import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.CommandOutput;
import io.lettuce.core.protocol.AsyncCommand;
import io.lettuce.core.protocol.Command;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Runs {@link RecordScript}s on one Lettuce connection, standalone or Cluster, and waits for each
 * answer at most the command timeout. Commands are dispatched with their own binary codec, so the
 * connection's codec (an application may share a {@code String} connection) never touches the
 * record's bytes. Thread-safe: Lettuce connections multiplex concurrent commands.
 */
final class ScriptRunner implements AutoCloseable {
  private final StatefulConnection<byte[], byte[]> connection;
  private final Duration timeout;
  private final long timeoutNanos;
  private final List<AutoCloseable> owned;

  /**
   * @param connection the connection to send commands on
   * @param timeout the longest wait for an answer
   * @param owned what {@link #close()} closes, in order: what the store opened itself
   */
  @SuppressWarnings("unchecked")
  ScriptRunner(StatefulConnection<?, ?> connection, Duration timeout, List<AutoCloseable> owned) {
    // dispatch() encodes with the command's own codec and decodes into the command's own output;
    // the connection's type parameters describe only its command API, which is not used.
    this.connection = (StatefulConnection<byte[], byte[]>) connection;
    this.timeout = timeout;
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
    try {
      return await(script, dispatch(CommandType.EVALSHA, script.sha(), output.get(), key, args));
    } catch (RedisNoScriptException unknown) {
      return await(script, dispatch(CommandType.EVAL, script.source(), output.get(), key, args));
    }
  }

  private <T> AsyncCommand<byte[], byte[], T> dispatch(
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
    connection.dispatch(command);
    return command;
  }

  private <T> T await(RecordScript script, AsyncCommand<byte[], byte[], T> command) {
    try {
      return command.get(timeoutNanos, TimeUnit.NANOSECONDS);
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
              + script.operation()
              + " script within "
              + timeout.toMillis()
              + " ms (RedisIdempotencyStore.Builder.commandTimeout)");
    } catch (InterruptedException e) {
      command.cancel(true);
      Thread.currentThread().interrupt();
      throw new RedisException(
          "interrupted while waiting for Redis to answer the " + script.operation() + " script", e);
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
