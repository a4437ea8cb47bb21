package dev.idempotent.aspectj;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Put on every {@code @Idempotent} method by the weaver (through {@link IdempotentAspect}'s {@code
 * declare @method}), never by hand: it tells at run time that the method's body runs the protocol
 * itself. The Guice integration reads it to leave woven methods to the woven advice: it does not
 * intercept them, and does not report a woven private, final or static method as unprotected.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface WovenIdempotent {}
