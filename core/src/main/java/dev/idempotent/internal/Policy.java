package dev.idempotent.internal;

import dev.idempotent.InFlight;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * Everything the protocol needs to know about one method or programmatic operation, computed once:
 * the namespace, how to compute the key and the fingerprint, the durations, the in-flight policy,
 * the recorded exceptions and how results are recorded and replayed. Immutable and thread-safe.
 */
public final class Policy {
  final Method method;
  final String where;
  final String namespace;
  final Function<Object[], String> keyFunction;
  final ArgumentFingerprint fingerprint;
  final Duration ttl;
  final Duration lease;
  final Duration waitTimeout;
  final long waitTimeoutNanos;
  final InFlight inFlight;
  final List<Class<? extends Throwable>> recorded;
  final ResultShape shape;
  final ResultHandler results;
  final OutcomeEnvelope codec;

  Policy(
      Method method,
      String where,
      String namespace,
      Function<Object[], String> keyFunction,
      ArgumentFingerprint fingerprint,
      Duration ttl,
      Duration lease,
      Duration waitTimeout,
      InFlight inFlight,
      List<Class<? extends Throwable>> recorded,
      ResultShape shape,
      OutcomeEnvelope codec) {
    this.method = method;
    this.where = where;
    this.namespace = namespace;
    this.keyFunction = keyFunction;
    this.fingerprint = fingerprint;
    this.ttl = ttl;
    this.lease = lease;
    this.waitTimeout = waitTimeout;
    this.waitTimeoutNanos = waitTimeout.toNanos();
    this.inFlight = inFlight;
    this.recorded = List.copyOf(recorded);
    this.shape = shape;
    this.results = ResultHandler.of(shape);
    this.codec = codec;
  }

  /** The namespace of this policy's keys. */
  public String namespace() {
    return namespace;
  }

  /** The ttl of completed records. */
  public Duration ttl() {
    return ttl;
  }

  /** The lease of in-progress records. */
  public Duration lease() {
    return lease;
  }

  /** The longest wait for a running call. */
  public Duration waitTimeout() {
    return waitTimeout;
  }

  /** What a duplicate does while the first call runs. */
  public InFlight inFlight() {
    return inFlight;
  }

  /** How results are recorded and replayed. */
  public ResultShape shape() {
    return shape;
  }

  /** Whether arguments are fingerprinted and checked on duplicates. */
  public boolean validatesPayload() {
    return fingerprint != null;
  }

  /** Step 1's input: the key value of a call's arguments. */
  String keyOf(Object[] args) {
    return keyFunction.apply(args);
  }

  boolean records(Throwable t) {
    for (Class<? extends Throwable> type : recorded) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }
}
