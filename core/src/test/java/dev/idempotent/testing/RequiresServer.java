package dev.idempotent.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a test class that needs servers on loopback (or server programs). Where one is missing, the
 * class is skipped with the reason, and the skip is written to the build's summary of skipped
 * server tests; with {@code -Didempotent.requireServers=true} (as CI runs) a missing server fails
 * the class instead, so CI always proves the stores on real servers.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@ExtendWith(ServerCondition.class)
public @interface RequiresServer {
  /** The servers the class needs. */
  TestServer[] value();
}
