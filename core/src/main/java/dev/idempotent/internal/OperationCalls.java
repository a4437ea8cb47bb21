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
   * Runs one call: the body once for the key, a duplicate's outcome otherwise.
   *
   * @param stage whether the body returns a {@code CompletionStage}
   * @param payload the payload to fingerprint, or null when the payload is not checked
   * @return the body's result or the replayed one
   * @throws Throwable what the body threw, a replayed recorded exception, or an {@code
   *     IdempotencyException}
   */
  public Object run(boolean stage, String key, Object payload, Invocation body) throws Throwable {
    return Protocol.proceed(begin(stage, key, payload), body);
  }

  /**
   * The first half of a call with a payload, for callers that run the body themselves: a
   * duplicate's outcome, or a {@code PendingCall} when the body is to run.
   *
   * @param stage whether the body returns a {@code CompletionStage}
   * @param payload the payload to fingerprint, or null when the payload is not checked
   * @throws IdempotencyDefinitionException when the payload cannot be written as JSON
   * @throws Throwable a replayed recorded exception, or an {@code IdempotencyException}
   */
  public Object begin(boolean stage, String key, Object payload) throws Throwable {
    ArgumentFingerprint fingerprint =
        payload == null ? null : payloadFingerprints.get(payload.getClass());
    return protocol.begin(stage ? async : plain, key, fingerprint, payload, null);
  }

  /**
   * The first half of a call whose caller computed the fingerprint itself.
   *
   * @param fingerprint the caller's fingerprint, or null when the payload is not checked
   * @throws Throwable a replayed recorded exception, or an {@code IdempotencyException}
   */
  public Object beginWithFingerprint(String key, String fingerprint) throws Throwable {
    return protocol.begin(plain, key, null, null, fingerprint);
  }
}
