package dev.idempotent.internal;

import static dev.idempotent.internal.Events.keyHash;

import dev.idempotent.IdempotencyEvent;
import dev.idempotent.IdempotencyStoreException;
import dev.idempotent.Ticker;
import dev.idempotent.rules.Durations;
import dev.idempotent.store.Acquisition;
import dev.idempotent.store.IdempotencyKey;
import dev.idempotent.store.IdempotencyStore;
import dev.idempotent.store.Outcome;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The protocol's calls to the store, each timed for listeners that want it and each with its own
 * answer to a store failure: acquire fails closed (or open, when the engine says so); complete and
 * release, once the body ran, log and let the caller have its result. Also turns a result into the
 * outcome the store keeps. Immutable and thread-safe.
 */
final class StoreSteps {
  private static final Logger LOG = LoggerFactory.getLogger(Protocol.class);

  private final IdempotencyStore store;
  private final Ticker ticker;
  private final Events events;
  private final boolean timings;
  private final boolean failOpen;

  StoreSteps(IdempotencyStore store, Ticker ticker, Events events, boolean failOpen) {
    this.store = store;
    this.ticker = ticker;
    this.events = events;
    this.timings = events.timings();
    this.failOpen = failOpen;
  }

  /**
   * Step 2: the store's answer, or null when the store failed and the engine fails open.
   *
   * @throws IdempotencyStoreException when the store failed and the engine fails closed
   */
  Acquisition acquire(Policy policy, IdempotencyKey key, String fingerprint) {
    long started = timings ? ticker.read() : 0;
    try {
      Acquisition acquisition = store.acquire(key, fingerprint, policy.lease);
      if (timings) {
        events.emit(
            IdempotencyEvent.Type.STORE_ACQUIRE, policy, key, ticker.read() - started, null);
      }
      return acquisition;
    } catch (RuntimeException e) {
      acquireFailed(policy, key, e);
      return null;
    }
  }

  /**
   * Step 2 on records in this JVM: {@link LocalRecords#acquire(LocalRecords.Probe, boolean, long,
   * Duration)}, timed and guarded as {@link #acquire} is; -1 when it failed and the engine fails
   * open.
   *
   * @throws IdempotencyStoreException when it failed and the engine fails closed
   */
  int acquireLocal(
      LocalRecords local,
      Policy policy,
      LocalRecords.Probe probe,
      boolean checked,
      long fingerprint) {
    long started = timings ? ticker.read() : 0;
    try {
      int found = local.acquire(probe, checked, fingerprint, policy.lease);
      if (timings) {
        events.emit(
            IdempotencyEvent.Type.STORE_ACQUIRE,
            policy,
            IdempotencyKey.of(policy.namespace, probe.value),
            ticker.read() - started,
            null);
      }
      return found;
    } catch (RuntimeException e) {
      IdempotencyKey key = IdempotencyKey.of(policy.namespace, probe.value);
      probe.clear();
      acquireFailed(policy, key, e);
      return -1;
    }
  }

  /**
   * Reports a failed acquire: returns when the engine fails open.
   *
   * @throws IdempotencyStoreException when the engine fails closed
   */
  private void acquireFailed(Policy policy, IdempotencyKey key, RuntimeException e) {
    events.emit(IdempotencyEvent.Type.STORE_FAILURE, policy, key, 0, e);
    if (failOpen) {
      LOG.warn(
          "Store failed to acquire a key of {} (key {}); running the body unprotected because"
              + " the engine fails open",
          policy.namespace,
          keyHash(key),
          e);
      events.emit(IdempotencyEvent.Type.FAIL_OPEN, policy, key, 0, e);
      return;
    }
    LOG.warn("Store failed to acquire a key of {} (key {})", policy.namespace, keyHash(key), e);
    throw new IdempotencyStoreException(
        policy.where
            + ": the store failed to acquire the key, so the body did not run (the engine fails"
            + " closed). Retry when the store is back: "
            + e,
        e);
  }

  /**
   * Step 5 after a returned result: records its outcome. A result the codec cannot write is
   * recorded as not recordable, so that no duplicate runs the body again: they get {@code
   * IdempotencyOutcomeNotRecordedException} until the record's ttl ends.
   */
  void completeReturned(LocalCall call, Object result) {
    Policy policy = call.policy;
    if (policy.codec == null) {
      complete(call, Outcome.returned(result));
      return;
    }
    Object content = policy.results.recordedContent(result);
    Outcome outcome;
    try {
      outcome = policy.codec.encodeValue(content);
    } catch (Exception e) {
      events.emit(IdempotencyEvent.Type.STORE_FAILURE, policy, call.key, 0, e);
      LOG.error(
          "The result of {} (key {}) cannot be recorded: the codec failed to write it. The caller"
              + " gets its result; duplicates get IdempotencyOutcomeNotRecordedException until"
              + " the ttl ends, and never run the body again. Make the result type writable.",
          policy.namespace,
          keyHash(call.key),
          e);
      outcome = policy.codec.encodeUnrecordable(content);
    }
    complete(call, outcome);
  }

  /**
   * Step 5 after a thrown exception: records it when the policy records its type, otherwise
   * releases the key so that a retry runs the body. A failed release is added to {@code t} as
   * suppressed.
   */
  void completeThrown(LocalCall call, Throwable t) {
    Policy policy = call.policy;
    IdempotencyKey key = call.key;
    if (policy.records(t)) {
      complete(call, policy.codec == null ? Outcome.thrown(t) : policy.codec.encodeException(t));
      return;
    }
    long started = timings ? ticker.read() : 0;
    try {
      store.release(key, call.token);
      if (timings) {
        events.emit(
            IdempotencyEvent.Type.STORE_RELEASE, policy, key, ticker.read() - started, null);
      }
      events.emit(IdempotencyEvent.Type.EXECUTED, policy, key);
    } catch (RuntimeException e) {
      events.emit(IdempotencyEvent.Type.STORE_FAILURE, policy, key, 0, e);
      LOG.warn(
          "Store failed to release a key of {} (key {}) after the body threw; the next call waits"
              + " until the lease ends",
          policy.namespace,
          keyHash(key),
          e);
      t.addSuppressed(e);
    }
  }

  private void complete(LocalCall call, Outcome outcome) {
    Policy policy = call.policy;
    IdempotencyKey key = call.key;
    long started = timings ? ticker.read() : 0;
    boolean written;
    try {
      written = store.complete(key, call.token, outcome, policy.ttl);
    } catch (RuntimeException e) {
      events.emit(IdempotencyEvent.Type.STORE_FAILURE, policy, key, 0, e);
      LOG.error(
          "Store failed to complete a key of {} (key {}) after the body ran; its result is"
              + " returned, but a retry after the lease ends runs the body again",
          policy.namespace,
          keyHash(key),
          e);
      return;
    }
    if (timings) {
      events.emit(IdempotencyEvent.Type.STORE_COMPLETE, policy, key, ticker.read() - started, null);
    }
    if (written) {
      events.emit(IdempotencyEvent.Type.EXECUTED, policy, key);
    } else {
      events.emit(IdempotencyEvent.Type.STALE_COMPLETION, policy, key);
      LOG.warn(
          "A call of {} (key {}) finished after its lease was taken over; its outcome was not"
              + " written. The body ran longer than its lease ({}) and renewal did not keep it.",
          policy.namespace,
          keyHash(key),
          Durations.format(policy.lease));
    }
  }
}
