package dev.idempotent.http.server;

import dev.idempotent.PendingCall;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A request that holds its key and must now run: the adapter runs the handler with {@link #body()}
 * as the request body, captures the response, and reports it exactly once with {@link #finish} or
 * {@link #abort}. Not thread-safe.
 */
final class Admitted implements Decision {
  private static final Logger LOG = LoggerFactory.getLogger(HttpIdempotency.class);

  private final HttpIdempotency owner;
  private final Route route;
  private final PendingCall pending;
  private final byte[] body;
  private boolean done;

  Admitted(HttpIdempotency owner, Route route, PendingCall pending, byte[] body) {
    this.owner = owner;
    this.route = route;
    this.pending = pending;
    this.body = body;
  }

  /** The request body, read whole before the key was acquired. */
  byte[] body() {
    return body;
  }

  /** The route that protects the request. */
  Route route() {
    return route;
  }

  /**
   * Records the handler's response when the route records its status, otherwise releases the key.
   *
   * @param status the response status
   * @param headers the response header values by name (empty list when absent)
   * @param responseBody the body bytes the handler wrote, at most {@link Route#maxResponseBytes()}
   * @param overflowed whether the handler wrote more than {@link Route#maxResponseBytes()}
   * @return null when the captured response is to be sent as it is, otherwise the response to send
   *     instead (a problem when it could not be recorded)
   */
  RecordedResponse finish(
      int status, Function<String, List<String>> headers, byte[] responseBody, boolean overflowed) {
    if (done) {
      return null;
    }
    done = true;
    try {
      return record(status, headers, responseBody, overflowed);
    } catch (RuntimeException | Error e) {
      pending.failed(e);
      throw e;
    }
  }

  private RecordedResponse record(
      int status, Function<String, List<String>> headers, byte[] responseBody, boolean overflowed) {
    if (overflowed) {
      // The handler has run: releasing the key would let a retry repeat its effect, so the key
      // keeps this answer instead of a truncated response.
      LOG.error(
          "Route {}: the response (status {}) is larger than maxResponseBytes = {} bytes, so it"
              + " was neither sent nor recorded; the client and every retry with its key get 500"
              + " ({}). Raise Route.Builder.maxResponseBytes above the largest response of this"
              + " route.",
          route.name(),
          status,
          route.maxResponseBytes(),
          IdempotencyProblem.RESPONSE_TOO_LARGE.slug());
      RecordedResponse problem =
          owner.problem(
              IdempotencyProblem.RESPONSE_TOO_LARGE,
              "The request was processed, but its response was larger than the "
                  + route.maxResponseBytes()
                  + " bytes this route can record, so it can be neither sent nor replayed."
                  + " Retries with this key get this answer.");
      pending.succeeded(problem);
      return problem;
    }
    if (!route.records(status)) {
      pending.failed(new NotRecorded(status));
      return null;
    }
    Map<String, List<String>> recorded = new LinkedHashMap<>();
    for (String name : route.recordedHeaders()) {
      List<String> values = headers.apply(name);
      if (values != null && !values.isEmpty()) {
        recorded.put(name, values);
      }
    }
    pending.succeeded(new RecordedResponse(status, recorded, responseBody));
    return null;
  }

  /** Releases the key: the handler threw, or the response never finished. */
  void abort(Throwable failure) {
    if (done) {
      return;
    }
    done = true;
    pending.failed(failure);
  }

  /** Why a response was not recorded: its status is not one the route records. */
  static final class NotRecorded extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NotRecorded(int status) {
      super("status " + status + " is not recorded", null, false, false);
    }
  }
}
