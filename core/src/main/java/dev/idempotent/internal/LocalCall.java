package dev.idempotent.internal;

import dev.idempotent.PendingCall;
import dev.idempotent.store.IdempotencyKey;
import java.util.concurrent.CompletableFuture;

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

  /** Completes once the record is completed or released. */
  final CompletableFuture<Void> done = new CompletableFuture<>();

  /** When the keeper renews next, in ticker nanoseconds; 0 until the keeper first sees the call. */
  volatile long nextRenewalNanos;

  /** Set when a renewal found the lease taken over. */
  volatile boolean leaseLost;

  /** The claim that was on this thread before this call's body started, restored at its end. */
  final Object[] previousClaim;

  private final Protocol protocol;

  LocalCall(
      Protocol protocol,
      IdempotencyKey key,
      String token,
      Policy policy,
      Thread owner,
      Object[] previousClaim) {
    this.protocol = protocol;
    this.key = key;
    this.token = token;
    this.policy = policy;
    this.owner = owner;
    this.previousClaim = previousClaim;
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
