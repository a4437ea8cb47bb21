package dev.idempotent.http.client;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;

/**
 * Told about every attempt an {@link IdempotentHttpClient} makes, on the thread that finished the
 * attempt, before the client waits or returns.
 *
 * <p>Implementations must be thread-safe and quick. An exception thrown by a listener is logged
 * (through {@link System.Logger}, logger {@code dev.idempotent.http.client}) and otherwise ignored:
 * it never breaks a send.
 */
@FunctionalInterface
public interface AttemptListener {
  /**
   * Called once per attempt.
   *
   * @param event what the attempt got and what the client does next
   */
  void onAttempt(AttemptEvent event);

  /**
   * A listener that does nothing; the default.
   *
   * @return a listener that ignores every event
   */
  static AttemptListener none() {
    return event -> {};
  }

  /**
   * A listener that logs through {@link System.Logger} (logger {@code dev.idempotent.http.client},
   * which SLF4J or java.util.logging pick up): a retry at INFO, giving up on a retryable outcome at
   * WARNING, everything else at DEBUG. Lines name the attempt, method, URI, key hash, status or
   * exception type, decision and delay.
   *
   * @return a logging listener
   */
  static AttemptListener logging() {
    Logger logger = System.getLogger("dev.idempotent.http.client");
    return event -> {
      Level level =
          switch (event.decision()) {
            case RETRYING -> Level.INFO;
            case ATTEMPTS_EXHAUSTED, DEADLINE_EXCEEDED, UNSAFE_TO_RETRY -> Level.WARNING;
            case RETURNED, NOT_RETRYABLE -> Level.DEBUG;
          };
      if (logger.isLoggable(level)) {
        logger.log(
            level,
            "{0} {1} attempt {2} (key hash {3}): {4} -> {5}, delay {6} ms",
            event.method(),
            event.uri(),
            // strings, so that MessageFormat does not group digits
            String.valueOf(event.attempt()),
            event.keyHash() == null ? "none" : event.keyHash(),
            event.failure() == null
                ? "status " + event.status()
                : event.failure().getClass().getName(),
            event.decision(),
            String.valueOf(event.delay().toMillis()));
      }
    };
  }
}
