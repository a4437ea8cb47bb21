package dev.idempotent.internal;

import dev.idempotent.PendingCall;
import dev.idempotent.store.IdempotencyKey;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A call running in this JVM that holds a key: what the adapter reports the body's end to, what
 * local duplicates join instead of polling the store, and what the lease keeper renews.
 */
final class LocalCall implements PendingCall {
  final IdempotencyKey key;
  final String token;
  final Policy policy;

  /** The thread running a synchronous body, to refuse re-entrant calls; null for async bodies. */
  final Thread owner;

  /**
   * What a local duplicate waits on: made by the first duplicate that waits, since most calls have
   * none. Completes once the record is completed or released.
   */
  private volatile CompletableFuture<Void> done;

  /** Set once the record is completed or released. */
  private volatile boolean finished;

  /** When the keeper renews next, in ticker nanoseconds; 0 until the keeper first sees the call. */
  volatile long nextRenewalNanos;

  /** Set when a renewal found the lease taken over. */
  volatile boolean leaseLost;

  /**
   * The arguments, for recognising this call when its body is reached through a second adapter;
   * null when the call cannot be recognised so (no method, or no arguments given).
   */
  final Object[] claimArgs;

  /** The claim that was on this thread before this call's body started, restored at its end. */
  final LocalCall previousClaim;

  private final Protocol protocol;

  LocalCall(
      Protocol protocol,
      IdempotencyKey key,
      String token,
      Policy policy,
      Thread owner,
      Object[] claimArgs,
      LocalCall previousClaim) {
    this.protocol = protocol;
    this.key = key;
    this.token = token;
    this.policy = policy;
    this.owner = owner;
    this.claimArgs = policy.method == null ? null : claimArgs;
    this.previousClaim = previousClaim;
  }

  /**
   * Waits up to {@code nanos} for the record to be completed or released.
   *
   * @throws TimeoutException if it was not within that time
   */
  void awaitFinish(long nanos) throws InterruptedException, TimeoutException {
    CompletableFuture<Void> waited = done;
    if (waited == null) {
      synchronized (this) {
        waited = done;
        if (waited == null) {
          waited = new CompletableFuture<>();
          done = waited;
        }
      }
    }
    // finish() sets finished before it reads done, and this reads finished after done was set:
    // one of the two sees the other, so no wait is missed.
    if (finished) {
      return;
    }
    try {
      waited.get(nanos, TimeUnit.NANOSECONDS);
    } catch (ExecutionException never) {
      // done only ever completes normally; the caller reads the store again either way
    }
  }

  /** Marks the record completed or released and wakes the duplicates waiting for it. */
  void finish() {
    finished = true;
    CompletableFuture<Void> waited = done;
    if (waited != null) {
      waited.complete(null);
    }
  }

  @Override
  public Object succeeded(Object result) {
    return protocol.succeeded(this, result);
  }

  @Override
  public Throwable failed(Throwable exception) {
    return protocol.failed(this, exception);
  }
}
