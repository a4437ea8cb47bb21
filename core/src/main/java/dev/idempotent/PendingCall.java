package dev.idempotent;

/**
 * A call that holds its key and must now run its body: what {@link IdempotencyEngine#begin} returns
 * when the body is to run. The adapter runs the body and reports how it ended, exactly once:
 *
 * <pre>{@code
 * Object started = engine.begin(method, args);
 * if (!(started instanceof PendingCall)) {
 *   return started;                       // a duplicate: the first call's result
 * }
 * PendingCall pending = (PendingCall) started;
 * Object result;
 * try {
 *   result = proceed();                   // the original body
 * } catch (Throwable t) {
 *   throw pending.failed(t);
 * }
 * return pending.succeeded(result);
 * }</pre>
 *
 * <p>Not thread-safe: the thread that began the call reports it (for a method returning a {@link
 * java.util.concurrent.CompletionStage}, the engine itself watches the stage).
 */
public interface PendingCall {

  /**
   * Records the body's result and returns what the method must return: the result itself, or for a
   * {@code CompletionStage} a stage that completes once the outcome is recorded.
   */
  Object succeeded(Object result);

  /**
   * Records the exception when the method's policy records its type, otherwise releases the key so
   * a retry runs the body again; returns the exception for the adapter to rethrow unchanged.
   */
  Throwable failed(Throwable exception);
}
