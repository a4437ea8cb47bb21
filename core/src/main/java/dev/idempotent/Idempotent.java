package dev.idempotent;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method that runs once per key: a retried, replayed or concurrent duplicate call with the
 * same key gets the first call's outcome back instead of running the body again.
 *
 * <pre>{@code
 * @Idempotent(keyExpr = "#cmd.id", ttl = "24h")
 * public Receipt charge(ChargeCommand cmd) { ... }
 * }</pre>
 *
 * <p>The annotation is read once per method, when the method is first called (or earlier, when an
 * adapter checks it at start-up). Every mistake in it is reported as an {@link
 * IdempotencyDefinitionException} that names the class, the method and the attribute.
 *
 * <p>An adapter makes the annotation effective: AspectJ weaving ({@code idempotent-aspectj}), the
 * Guice module ({@code idempotent-guice}), or a call to {@link IdempotencyEngine#invoke}.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface Idempotent {

  /**
   * The key expression: which part of the arguments identifies a logical operation, for example
   * {@code "#cmd.id"}, {@code "#p0"} or {@code "#tenant + ':' + #order.number"}. The language reads
   * parameters (by name, or by position as {@code #p0}, {@code #a0}, {@code #args[0]}), properties
   * (record components, getters, public fields), list and array elements, map values, string and
   * number literals, and joins them with {@code +}. It cannot call methods.
   *
   * <p>Empty (the default): the key is a SHA-256 fingerprint of all arguments in canonical JSON,
   * stable across JVMs and restarts. Parameters marked {@link ExcludeFromFingerprint} are left out.
   */
  String keyExpr() default "";

  /**
   * How long a completed outcome is kept and replayed: {@code "24h"}, {@code "30m"}, {@code "10s"},
   * {@code "500ms"}, {@code "2d"} or an ISO-8601 duration such as {@code "PT24H"}. Must be
   * positive. Empty (the default): the engine's default ttl (24 hours unless configured).
   */
  String ttl() default "";

  /**
   * The namespace that keeps this method's keys apart from every other method's. Empty (the
   * default): the declaring class and the method's signature, so two methods never share a key by
   * accident. Set the same namespace on two methods only when they must share their records, and
   * keep it when renaming a method whose records must survive the rename.
   */
  String namespace() default "";

  /**
   * What a duplicate does while the first call with its key is still running: {@link InFlight#WAIT}
   * (the default) waits up to {@link #waitTimeout()} and returns the first call's outcome; {@link
   * InFlight#REJECT} throws {@link IdempotencyInProgressException} at once.
   */
  InFlight onInFlight() default InFlight.WAIT;

  /**
   * The longest a duplicate waits for a running first call under {@link InFlight#WAIT}, as a
   * duration like {@link #ttl()}. Empty (the default): the engine's default (30 seconds unless
   * configured). When the wait times out the duplicate throws {@link
   * IdempotencyInProgressException}.
   */
  String waitTimeout() default "";

  /**
   * How long an unfinished call holds its key before another call may take it over, as a duration
   * like {@link #ttl()}. The engine renews the lease of a body that runs longer, so only a call
   * whose process died loses it. Empty (the default): the engine's default (30 seconds unless
   * configured).
   */
  String lease() default "";

  /**
   * Exception types that are part of the method's outcome: when the body throws one of them (or a
   * subtype), it is recorded and every duplicate throws the same type again with the same message.
   * Any other exception releases the key, so a retry runs the body again. Each type needs a public
   * constructor taking a single {@code String} message (or none) to be replayed from a store that
   * serializes outcomes.
   */
  Class<? extends Throwable>[] recordExceptions() default {};

  /**
   * Whether a fingerprint of the arguments is kept with the record and checked on every duplicate.
   * When on (the default), the same key with different arguments throws {@link
   * IdempotencyKeyReuseException} instead of replaying an outcome that belongs to another request.
   * Parameters marked {@link ExcludeFromFingerprint} are left out of the fingerprint.
   */
  boolean validatePayload() default true;
}
