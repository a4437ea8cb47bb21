package dev.idempotent.http.server;

/** What an adapter does with a request, as {@link HttpIdempotency#decide} answers. */
sealed interface Decision permits Decision.Pass, Decision.Respond, Admitted {

  /** No route protects the request (or it carries no key where none is required): run it. */
  final class Pass implements Decision {
    static final Pass INSTANCE = new Pass();

    private Pass() {}
  }

  /**
   * Send this response without running the handler: a replay of the first response, or a problem.
   *
   * @param response the response
   * @param replayed whether it is a replay (sent with {@code Idempotent-Replayed: true})
   */
  record Respond(RecordedResponse response, boolean replayed) implements Decision {}
}
