package dev.idempotent.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a field of a test class that {@link IdempotencyExtension} sets before each test: a field of
 * type {@link IdempotencyTester}, {@link dev.idempotent.IdempotencyEngine} or {@link FakeTicker}
 * receives the test's tester, its engine or its clock. The field must not be static or final.
 *
 * <pre>{@code
 * @ExtendWith(IdempotencyExtension.class)
 * class PaymentServiceTest {
 *   @InjectIdempotency IdempotencyTester idempotency;
 *   @InjectIdempotency FakeTicker clock;
 * }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface InjectIdempotency {}
