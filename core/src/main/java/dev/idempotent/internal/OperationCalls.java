package dev.idempotent.internal;

import dev.idempotent.IdempotencyDefinitionException;
import dev.idempotent.Invocation;

/**
 * What a programmatic operation runs: its two policies (a plain and a {@code CompletionStage}
 * result) on the engine's protocol, and one payload fingerprint per payload class, built on first
 * use (a payload of plain values is written without Jackson's serializers, as annotated methods'
 * arguments are). Built by the engine for {@code IdempotentOperation}, which holds nothing else of
 * the engine. Immutable and thread-safe.
 */
public final class OperationCalls {
  private final Protocol protocol;
  private final Policy plain;
  private final Policy async;
  private final ClassValue<ArgumentFingerprint> payloadFingerprints;

  OperationCalls(Protocol protocol, Policy plain, Policy async, Policies policies) {
    this.protocol = protocol;
    this.plain = plain;
    this.async = async;
    String where = plain.where;
    this.payloadFingerprints =
        new ClassValue<>() {
          @Override
          protected ArgumentFingerprint computeValue(Class<?> type) {
            return policies.payloadFingerprint(where, type);
          }
        };
  }

  /**
   * The operation's calls on {@code protocol}, with the settings {@code policies} read.
   *
   * @param protocol the engine's protocol
   * @param plain the policy of {@code execute}
   * @param async the policy of {@code executeAsync}
   * @param policies the engine's policies, for payload fingerprints
   * @return the calls
   */
  public static OperationCalls of(
      Protocol protocol, Policy plain, Policy async, Policies policies) {
    return new OperationCalls(protocol, plain, async, policies);
  }

  /**
   * The fingerprint of a payload.
   *
   * @throws IdempotencyDefinitionException when the payload cannot be written as JSON
   */
  public String fingerprintOf(Object payload) {
    return payloadFingerprints.get(payload.getClass()).of(new Object[] {payload});
  }

  /**
   * Runs one call: the body once for the key, a duplicate's outcome otherwise.
   *
   * @param stage whether the body returns a {@code CompletionStage}
   * @param fingerprint the payload's fingerprint, or null when the payload is not checked
   * @return the body's result or the replayed one
   * @throws Throwable what the body threw, a replayed recorded exception, or an {@code
   *     IdempotencyException}
   */
  public Object run(boolean stage, String key, String fingerprint, Invocation body)
      throws Throwable {
    return Protocol.proceed(begin(stage, key, fingerprint), body);
  }

  /**
   * The first half of a call, for callers that run the body themselves: a duplicate's outcome, or a
   * {@code PendingCall} when the body is to run.
   *
   * @param stage whether the body returns a {@code CompletionStage}
   * @param fingerprint the payload's fingerprint, or null when the payload is not checked
   * @throws Throwable a replayed recorded exception, or an {@code IdempotencyException}
   */
  public Object begin(boolean stage, String key, String fingerprint) throws Throwable {
    return protocol.begin(stage ? async : plain, key, fingerprint, null);
  }
}
