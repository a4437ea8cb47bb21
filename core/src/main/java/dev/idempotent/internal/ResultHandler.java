package dev.idempotent.internal;

import dev.idempotent.store.Outcome;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What differs between return types ({@link ResultShape}) in recording and replaying an outcome,
 * one small handler per shape: which thread owns the running call, what of a result a codec writes,
 * how a decoded value is handed back, and when the record completes. Stateless and thread-safe.
 */
abstract class ResultHandler {
  private static final Logger LOG = LoggerFactory.getLogger(Protocol.class);

  private static final ResultHandler PLAIN = new ResultHandler() {};
  private static final ResultHandler VOID = new VoidResult();
  private static final ResultHandler OPTIONAL = new OptionalResult();
  private static final ResultHandler ASYNC = new AsyncResult();

  /** The handler of a shape. */
  static ResultHandler of(ResultShape shape) {
    return switch (shape) {
      case VALUE -> PLAIN;
      case VOID -> VOID;
      case OPTIONAL -> OPTIONAL;
      case ASYNC -> ASYNC;
    };
  }

  /**
   * Whether the body runs on the calling thread, which then owns the call (a re-entrant call from
   * that thread is refused instead of waiting for itself).
   */
  boolean runsOnCallingThread() {
    return true;
  }

  /** What a codec writes of a returned result. */
  Object recordedContent(Object result) {
    return result;
  }

  /** The result a caller gets for a value a codec read back. */
  Object replayedValue(Object content) {
    return content;
  }

  /**
   * The duplicate's answer for a stored outcome: its value decoded (when the policy has a codec)
   * and in the method's shape, or its recorded exception thrown.
   *
   * @throws Throwable the replayed exception
   */
  Object replay(Policy policy, Outcome stored) throws Throwable {
    return replayed(policy, stored);
  }

  /**
   * The duplicate's answer for a returned value that a store in this JVM kept as the object itself
   * (the same answer {@link #replay} gives for it, without an outcome wrapper; such a store has no
   * codec).
   */
  Object replayKept(Object value) {
    return value;
  }

  /** The value of a stored outcome as the caller gets it, or its exception thrown. */
  final Object replayed(Policy policy, Outcome stored) throws Throwable {
    if (policy.codec == null) {
      return valueOf(stored);
    }
    return replayedValue(valueOf(policy.codec.decode(stored)));
  }

  private static Object valueOf(Outcome outcome) throws Throwable {
    if (outcome instanceof Outcome.Threw threw) {
      throw threw.exception();
    }
    return outcome.value();
  }

  /**
   * Completes the record for a body that returned {@code result} and hands back what the caller
   * gets.
   */
  Object returned(Protocol protocol, LocalCall call, Object result) {
    protocol.recordReturned(call, result);
    return result;
  }

  /** {@code void} or {@code Void}: nothing to record but the fact that the body ran. */
  private static final class VoidResult extends ResultHandler {
    @Override
    Object recordedContent(Object result) {
      return null;
    }
  }

  /** {@code Optional<T>}: the content is recorded; an empty Optional replays as empty. */
  private static final class OptionalResult extends ResultHandler {
    @Override
    Object recordedContent(Object result) {
      return result == null ? null : ((Optional<?>) result).orElse(null);
    }

    @Override
    Object replayedValue(Object content) {
      return Optional.ofNullable(content);
    }
  }

  /**
   * {@code CompletionStage<T>}: the record completes when the stage does, on whichever thread
   * completes it; the caller gets a stage that completes after the record, and a duplicate a
   * completed or failed stage.
   */
  private static final class AsyncResult extends ResultHandler {
    @Override
    boolean runsOnCallingThread() {
      return false;
    }

    @Override
    Object replay(Policy policy, Outcome stored) {
      try {
        return CompletableFuture.completedFuture(replayed(policy, stored));
      } catch (Throwable t) {
        return CompletableFuture.failedFuture(t);
      }
    }

    @Override
    Object replayKept(Object value) {
      return CompletableFuture.completedFuture(value);
    }

    @Override
    Object returned(Protocol protocol, LocalCall call, Object result) {
      if (result == null) {
        return super.returned(protocol, call, null);
      }
      CompletableFuture<Object> recorded = new CompletableFuture<>();
      ((CompletionStage<?>) result)
          .whenComplete(
              (value, failure) -> {
                Throwable cause = failure == null ? null : unwrap(failure);
                try {
                  if (cause == null) {
                    protocol.recordReturned(call, value);
                  } else {
                    protocol.recordThrown(call, cause);
                  }
                } catch (RuntimeException | Error e) {
                  LOG.error("Recording the outcome of {} failed", call.policy.namespace, e);
                }
                if (cause == null) {
                  recorded.complete(value);
                } else {
                  recorded.completeExceptionally(cause);
                }
              });
      return recorded;
    }

    private static Throwable unwrap(Throwable failure) {
      return failure instanceof CompletionException && failure.getCause() != null
          ? failure.getCause()
          : failure;
    }
  }
}
