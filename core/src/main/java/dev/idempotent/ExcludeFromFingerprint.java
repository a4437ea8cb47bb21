package dev.idempotent;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Leaves a parameter of an {@link Idempotent} method out of the argument fingerprint: out of the
 * payload check ({@link Idempotent#validatePayload()}) and, when {@link Idempotent#keyExpr()} is
 * empty, out of the key. Use it for parameters that do not describe the request, such as a clock, a
 * tracing context or a callback, and for parameters that cannot be turned into JSON. A key
 * expression may still read the parameter.
 */
@Target(ElementType.PARAMETER)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface ExcludeFromFingerprint {}
