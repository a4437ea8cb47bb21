package dev.idempotent.internal;

/** How a method hands back its result, which decides how an outcome is recorded and replayed. */
public enum ResultShape {
  /** A plain value (or null), including primitives. */
  VALUE,
  /** {@code void} or {@code Void}: nothing to record but the fact that it ran. */
  VOID,
  /** {@code Optional<T>}: the content is recorded; an empty Optional replays as empty. */
  OPTIONAL,
  /**
   * {@code CompletionStage<T>} or {@code CompletableFuture<T>}: the record completes when the stage
   * does; a failed stage releases the key unless its exception is recorded.
   */
  ASYNC
}
