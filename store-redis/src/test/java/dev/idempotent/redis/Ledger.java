package dev.idempotent.redis;

import dev.idempotent.ExcludeFromFingerprint;
import dev.idempotent.Idempotent;
import dev.idempotent.aspectj.WovenIdempotent;
import io.lettuce.core.api.sync.RedisCommands;
import java.lang.reflect.Method;
import java.util.UUID;

/**
 * The service the child JVMs of {@link RedisMultiProcessTest} and {@link RedisCrashTest} call. This
 * is the one test class ajc compiles with idempotent-aspectj (see this module's pom), so every call
 * of its {@code @Idempotent} methods runs through the engine given to {@code
 * IdempotentAspect.configure}. Each body records its execution on a Redis list of its own, so the
 * count does not rely on the store under test. Thread-safe (Lettuce's synchronous commands are).
 */
final class Ledger {
  /** The namespace of {@link #settle}'s keys, for a test that looks at the store directly. */
  static final String SETTLEMENTS = "crash";

  /** The lease of {@link #settle}'s keys, in milliseconds. */
  static final long SETTLE_LEASE_MILLIS = 1500;

  private final RedisCommands<String, String> redis;
  private final String executions;
  private final String process;

  /**
   * @param redis where the bodies record their executions
   * @param executions the key of the list the bodies push onto
   * @param process names this JVM in what the bodies record and return
   */
  Ledger(RedisCommands<String, String> redis, String executions, String process) {
    this.redis = redis;
    this.executions = executions;
    this.process = process;
  }

  /**
   * For the multi-process test: pushes "orderId process/thread" and returns a receipt with a fresh
   * id, executed by the same "process/thread".
   */
  @Idempotent(keyExpr = "#orderId", lease = "10s", waitTimeout = "60s")
  Receipt charge(String orderId) {
    String executor = process + "/" + Thread.currentThread().getName();
    redis.rpush(executions, orderId + " " + executor);
    pause(2);
    return new Receipt(orderId, UUID.randomUUID().toString(), executor);
  }

  /**
   * For the crash test: pushes "process mode", prints {@code BODY-STARTED <process>}, and then, by
   * mode: {@code hang} never returns (the test kills the process), {@code slow} returns after four
   * seconds (the test freezes the process meanwhile), {@code quick} returns at once. The lease is
   * short, so a killed owner's key is free again soon; the engine renews it while a body runs.
   *
   * @param mode how this test's body behaves, not part of the request: left out of the fingerprint
   *     so that an owner and its successor make the same call
   */
  @Idempotent(
      keyExpr = "#orderId",
      namespace = SETTLEMENTS,
      lease = SETTLE_LEASE_MILLIS + "ms",
      waitTimeout = "60s")
  Receipt settle(String orderId, @ExcludeFromFingerprint String mode) {
    redis.rpush(executions, process + " " + mode);
    System.out.println("BODY-STARTED " + process);
    if (mode.equals("hang")) {
      pause(Long.MAX_VALUE);
    } else if (mode.equals("slow")) {
      pause(4_000);
    }
    return new Receipt(orderId, UUID.randomUUID().toString(), process);
  }

  /**
   * Fails unless ajc wove this class: the aspect marks every method it wove with {@link
   * WovenIdempotent}. A child calls it before its first call, so that an unwoven build cannot pass
   * for a woven one.
   *
   * @throws IllegalStateException naming the first method that is not woven
   */
  static void requireWoven() throws NoSuchMethodException {
    for (Method method :
        new Method[] {
          Ledger.class.getDeclaredMethod("charge", String.class),
          Ledger.class.getDeclaredMethod("settle", String.class, String.class)
        }) {
      if (!method.isAnnotationPresent(WovenIdempotent.class)) {
        throw new IllegalStateException(
            method
                + " is not woven (no @WovenIdempotent): the aspectj-maven-plugin test-compile"
                + " execution in store-redis/pom.xml must compile Ledger.java with idempotent-aspectj"
                + " as an aspect library.");
      }
    }
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
