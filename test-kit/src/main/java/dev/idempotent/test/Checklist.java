package dev.idempotent.test;

import dev.idempotent.IdempotencyDefinitionException;
import dev.idempotent.IdempotencyEvent.Type;
import dev.idempotent.IdempotencyInProgressException;
import dev.idempotent.IdempotencyKeyReuseException;
import dev.idempotent.IdempotencyStoreException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiPredicate;

/**
 * The assertions of {@link IdempotencyTester}: each makes its calls, reads what the engine reported
 * meanwhile, and throws an {@link AssertionError} that says what happened and what usually causes
 * it. Stateless apart from the tester it checks.
 */
final class Checklist {
  private static final long CONCURRENT_CALLS_TIMEOUT_SECONDS = 60;

  private final IdempotencyTester tester;
  private final CallLog log;

  Checklist(IdempotencyTester tester, CallLog log) {
    this.tester = tester;
    this.log = log;
  }

  <T> T retryReturnsSameResult(IdempotentCall<T> call, BiPredicate<? super T, ? super T> same) {
    int mark = log.mark();
    T first = succeed(call, "the first call");
    T retry = succeed(call, "the retry");
    Observed seen = log.since(mark);
    requireThroughEngine(seen, 2);
    if (seen.runs() != 1) {
      throw fail(
          "the body ran "
              + seen.runs()
              + " times for a call and its retry; it must run once."
              + keysHint(seen),
          seen);
    }
    if (!same.test(first, retry)) {
      throw fail(
          "the retry returned "
              + show(retry)
              + " but the first call returned "
              + show(first)
              + ": a replay must return the first call's result."
              + differenceHint(),
          seen);
    }
    return first;
  }

  <T> T concurrentCallersRunOnce(int callers, IdempotentCall<T> call) {
    if (callers < 2) {
      throw new IllegalArgumentException(
          "IdempotencyTester.assertConcurrentCallersRunOnce: callers must be at least 2, was "
              + callers);
    }
    int mark = log.mark();
    List<Object> outcomes = runTogether(callers, call);
    Observed seen = log.since(mark);
    requireThroughEngine(seen, callers);
    int rejected = 0;
    for (Object outcome : outcomes) {
      if (outcome instanceof Failed failed
          && failed.exception instanceof IdempotencyInProgressException) {
        rejected++;
      }
    }
    if (rejected > 0) {
      throw fail(
          rejected
              + " of "
              + callers
              + " concurrent callers were rejected with IdempotencyInProgressException instead"
              + " of getting the first call's result: the method's onInFlight is REJECT, or its"
              + " waitTimeout ran out. WAIT (the default) makes duplicates wait for the first"
              + " call.",
          seen);
    }
    for (Object outcome : outcomes) {
      if (outcome instanceof Failed failed) {
        throw fail(
            "a concurrent caller threw " + failed.exception + "; every caller should succeed.",
            seen,
            failed.exception);
      }
    }
    if (seen.runs() != 1) {
      throw fail(
          "the body ran "
              + seen.runs()
              + " times for "
              + callers
              + " concurrent callers with one key; it must run once."
              + keysHint(seen),
          seen);
    }
    @SuppressWarnings("unchecked")
    T result = (T) outcomes.get(0);
    for (int i = 1; i < outcomes.size(); i++) {
      if (!Objects.deepEquals(result, outcomes.get(i))) {
        throw fail(
            "caller "
                + i
                + " got "
                + show(outcomes.get(i))
                + " but caller 0 got "
                + show(result)
                + ": every duplicate must get the first call's result."
                + differenceHint(),
            seen);
      }
    }
    return result;
  }

  IdempotencyKeyReuseException keyReuseRejected(
      IdempotentCall<?> first, IdempotentCall<?> sameKeyOtherArguments) {
    int mark = log.mark();
    succeed(first, "the first call");
    Object second;
    try {
      second = sameKeyOtherArguments.call();
    } catch (IdempotencyKeyReuseException expected) {
      return expected;
    } catch (Exception e) {
      throw fail(
          "the call with the same key and other arguments threw "
              + e
              + " instead of IdempotencyKeyReuseException.",
          log.since(mark),
          e);
    }
    Observed seen = log.since(mark);
    requireThroughEngine(seen, 2);
    String why =
        seen.count(Type.REPLAYED) > 0
            ? " It was replayed the first call's result: the arguments that differ are not in the"
                + " fingerprint (validatePayload = false, or the parameter is"
                + " @ExcludeFromFingerprint)."
            : seen.keys().size() > 1
                ? " The two calls have different keys: the key expression reads the arguments that"
                    + " differ. Keep the key and change another argument."
                : "";
    throw fail(
        "the call with the same key and other arguments returned "
            + show(second)
            + " instead of throwing IdempotencyKeyReuseException."
            + why,
        seen);
  }

  <T> T runsAgainAfterTtl(Duration ttl, IdempotentCall<T> call) {
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException(
          "IdempotencyTester.assertRunsAgainAfterTtl: ttl must be positive, was " + ttl);
    }
    Duration before =
        ttl.compareTo(Duration.ofSeconds(2)) > 0 ? Duration.ofSeconds(1) : ttl.dividedBy(2);
    int mark = log.mark();
    succeed(call, "the first call");
    tester.advance(ttl.minus(before));
    succeed(call, "the retry within the ttl");
    Observed within = log.since(mark);
    requireThroughEngine(within, 2);
    if (within.runs() == 0) {
      throw fail("the first call did not run the body." + keysHint(within), within);
    }
    if (within.runs() != 1) {
      throw fail(
          "the body ran again "
              + ttl.minus(before)
              + " after the first call, within the ttl of "
              + ttl
              + ": the method's ttl is shorter than "
              + ttl
              + ", or the retry has another key."
              + keysHint(within),
          within);
    }
    tester.advance(before.plus(IdempotencyTester.TTL_SLACK).plusMillis(1));
    int afterMark = log.mark();
    T result = succeed(call, "the call after the ttl");
    Observed after = log.since(afterMark);
    if (after.runs() != 1) {
      throw fail(
          "the call "
              + ttl.plus(IdempotencyTester.TTL_SLACK)
              + " after the first was replayed instead of running the body again: the method's"
              + " ttl is longer than "
              + ttl
              + ".",
          log.since(mark));
    }
    return result;
  }

  <T> T failureIsNotRecorded(IdempotentCall<T> call) {
    int mark = log.mark();
    Object first = fail(call, "the first call", "assertFailureIsNotRecorded");
    Observed firstSeen = log.since(mark);
    T retry;
    try {
      retry = call.call();
    } catch (Exception e) {
      retry = null;
    }
    Observed seen = log.since(mark);
    requireThroughEngine(seen, 2);
    if (seen.count(Type.REPLAYED) > 0 || seen.runs() < 2) {
      throw fail(
          "the retry after "
              + first
              + " did not run the body (it ran "
              + seen.runs()
              + " times in all, "
              + firstSeen.runs()
              + " for the first call): the failure was recorded and replayed. Only exceptions in"
              + " the method's recordExceptions should be; remove "
              + first.getClass().getName()
              + " from it for a failure that a retry may fix.",
          seen);
    }
    return retry;
  }

  <E extends Throwable> E exceptionReplayed(Class<E> type, IdempotentCall<?> call) {
    int mark = log.mark();
    Exception first = fail(call, "the first call", "assertExceptionReplayed");
    if (!type.isInstance(first)) {
      throw fail(
          "the first call threw " + first + ", which is not a " + type.getName() + ".",
          log.since(mark),
          first);
    }
    Object retryResult;
    try {
      retryResult = call.call();
    } catch (Exception retry) {
      Observed seen = log.since(mark);
      requireThroughEngine(seen, 2);
      if (retry instanceof IdempotencyStoreException) {
        throw fail(
            "the retry could not replay the recorded " + type.getName() + ": " + retry.getMessage(),
            seen,
            retry);
      }
      if (seen.runs() != 1) {
        throw fail(
            "the retry ran the body again (it ran "
                + seen.runs()
                + " times) instead of replaying "
                + first
                + ": add "
                + type.getName()
                + " to the method's recordExceptions to record it.",
            seen);
      }
      if (retry.getClass() != first.getClass()
          || !Objects.equals(retry.getMessage(), first.getMessage())) {
        throw fail(
            "the retry threw " + retry + " but the first call threw " + first + ".", seen, retry);
      }
      @SuppressWarnings("unchecked")
      E replayed = (E) retry;
      return replayed;
    }
    throw fail(
        "the retry returned "
            + show(retryResult)
            + " instead of replaying "
            + first
            + ": add "
            + type.getName()
            + " to the method's recordExceptions to record it.",
        log.since(mark));
  }

  private <T> T succeed(IdempotentCall<T> call, String which) {
    try {
      return call.call();
    } catch (IdempotencyStoreException e) {
      throw fail(
          which
              + " failed in the store: "
              + e.getMessage()
              + (tester.serializing()
                  ? " The test engine encodes results as Redis and JDBC stores do, so this call"
                      + " would fail the same way in production."
                  : ""),
          log.since(0),
          e);
    } catch (IdempotencyDefinitionException e) {
      throw fail(
          which
              + " was refused by the engine: "
              + e.getMessage()
              + (tester.serializing()
                  ? " The test engine encodes results as Redis and JDBC stores do, so this method"
                      + " would be refused the same way in production."
                  : ""),
          log.since(0),
          e);
    } catch (Exception e) {
      throw new AssertionError(
          which + " threw " + e + "; this assertion needs calls that succeed.", e);
    }
  }

  private static Exception fail(IdempotentCall<?> call, String which, String assertion) {
    Object result;
    try {
      result = call.call();
    } catch (Exception expected) {
      return expected;
    }
    throw new AssertionError(
        which
            + " returned "
            + show(result)
            + "; "
            + assertion
            + " needs a first call that throws (e.g. a stub that fails once).");
  }

  private List<Object> runTogether(int callers, IdempotentCall<?> call) {
    ExecutorService pool = Executors.newFixedThreadPool(callers);
    try {
      CountDownLatch ready = new CountDownLatch(callers);
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Object>> futures = new ArrayList<>();
      for (int i = 0; i < callers; i++) {
        futures.add(
            pool.submit(
                () -> {
                  ready.countDown();
                  start.await();
                  try {
                    return call.call();
                  } catch (Exception e) {
                    return new Failed(e);
                  }
                }));
      }
      ready.await();
      start.countDown();
      List<Object> outcomes = new ArrayList<>();
      for (Future<Object> future : futures) {
        outcomes.add(future.get(CONCURRENT_CALLS_TIMEOUT_SECONDS, TimeUnit.SECONDS));
      }
      return outcomes;
    } catch (TimeoutException e) {
      throw new AssertionError(
          "concurrent callers did not finish within "
              + CONCURRENT_CALLS_TIMEOUT_SECONDS
              + " s: a duplicate waits for a first call that does not end. A body that blocks"
              + " until the test releases it cannot be used here.",
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while concurrent callers ran", e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new AssertionError("a concurrent caller failed: " + e.getCause(), e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  private void requireThroughEngine(Observed seen, int calls) {
    if (seen.none()) {
      String aspect =
          tester.aspectWired()
              ? " IdempotentAspect is wired to this engine"
                  + (tester.aspectIntact()
                      ? ", so the method is not woven."
                      : ", but something configured another engine since: call"
                          + " IdempotentAspect.configure only outside tests.")
              : "";
      throw new AssertionError(
          calls
              + " calls ran, but none went through the test engine, so nothing protects the"
              + " method: weave its class with idempotent-aspectj (check with"
              + " IdempotentMethodsCheck), create it through a Guice injector with"
              + " IdempotencyTestModule, or call it through an IdempotentOperation of engine()."
              + aspect);
    }
  }

  /** Why results differ when the body ran once. */
  private String differenceHint() {
    return tester.serializing()
        ? " The body ran once, so the difference comes from the round trip through the codec: give"
            + " the result type equals (a record has it), or compare the results yourself."
        : " The body ran once and the store keeps the very instance, so the result was changed"
            + " after it was returned: return immutable results.";
  }

  private static String keysHint(Observed seen) {
    if (seen.runs() == 0) {
      return " The key already had a record before this assertion (an earlier call in this test"
          + " used it): give each assertion a key of its own.";
    }
    return seen.keys().size() > 1
        ? " The calls used different keys ("
            + String.join(", ", seen.keys())
            + "): the key expression reads something that changes between calls."
        : "";
  }

  private static AssertionError fail(String message, Observed seen) {
    return new AssertionError(message + "\nThe engine reported:\n" + seen.describe());
  }

  private static AssertionError fail(String message, Observed seen, Throwable cause) {
    return new AssertionError(message + "\nThe engine reported:\n" + seen.describe(), cause);
  }

  private static String show(Object value) {
    if (value == null) {
      return "null";
    }
    if (value.getClass().isArray()) {
      return java.util.Arrays.deepToString(new Object[] {value});
    }
    return "<" + value + ">";
  }

  /** A concurrent caller's exception, kept apart from results. */
  private record Failed(Exception exception) {}
}
