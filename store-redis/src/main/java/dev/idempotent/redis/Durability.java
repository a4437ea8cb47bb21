package dev.idempotent.redis;

import java.time.Duration;
import java.util.Objects;

/**
 * How many replicas must hold a record before the store answers: the Redis store's opt-in
 * protection against a failover that loses the newest writes. Immutable and thread-safe.
 *
 * <p>Redis replicates asynchronously: a record written on the master and not yet copied to a
 * replica is lost when that replica is promoted. With {@link #replicas(int, Duration)} the store
 * sends {@code WAIT n timeout} on the same connection right after each write that matters, and
 * treats too few acknowledgements in time as a failure:
 *
 * <ul>
 *   <li><b>acquire</b> (a new in-progress record): the store deletes the record again if it can and
 *       throws; the engine fails closed, so the body does not run. A caller can retry.
 *   <li><b>complete</b>: the store throws after the body ran; the engine logs it at ERROR, reports
 *       {@code STORE_FAILURE} and still returns the body's result. When the write failed because
 *       the connection was lost (a master that died, a failover), the store first sends the
 *       completion again, through the new master, for up to {@link #completionRetry()}.
 * </ul>
 *
 * <pre>{@code
 * RedisIdempotencyStore store =
 *     RedisIdempotencyStore.builder("redis-sentinel://s1:26379,s2:26379,s3:26379#orders")
 *         .durability(Durability.replicas(1, Duration.ofMillis(500)))
 *         .build();
 * }</pre>
 *
 * <p>Each durable write costs one more round trip ({@code WAIT}) and the time the replicas take to
 * acknowledge; while a {@code WAIT} blocks, Redis holds back the other commands on the store's
 * connection, so keep the timeout well below the store's command timeout. The lease of protected
 * methods should exceed about one and a half times the failover time: leases cannot be renewed
 * while no master answers. See {@code docs/redis.md} for what holds under which failure.
 */
public final class Durability {
  /** How long a completion is sent again after a lost connection unless told otherwise. */
  public static final Duration DEFAULT_COMPLETION_RETRY = Duration.ofSeconds(10);

  private static final Durability NONE = new Durability(0, Duration.ZERO, false, Duration.ZERO);

  private final int replicas;
  private final Duration timeout;
  private final boolean acquire;
  private final Duration completionRetry;

  private Durability(int replicas, Duration timeout, boolean acquire, Duration completionRetry) {
    this.replicas = replicas;
    this.timeout = timeout;
    this.acquire = acquire;
    this.completionRetry = completionRetry;
  }

  /**
   * No waiting for replicas: the store answers as soon as the master wrote. The default.
   *
   * @return the setting
   */
  public static Durability none() {
    return NONE;
  }

  /**
   * Wait after every new in-progress record and every completion until {@code replicas} replicas
   * acknowledged it, at most {@code timeout} each.
   *
   * @param replicas how many replicas must acknowledge, at least 1; more than the master has makes
   *     every write fail
   * @param timeout the longest wait for them, positive and at most a day
   * @return the setting
   * @throws IllegalArgumentException if {@code replicas} is below 1 or {@code timeout} is not
   *     positive or longer than a day
   */
  public static Durability replicas(int replicas, Duration timeout) {
    if (replicas < 1) {
      throw new IllegalArgumentException(
          "Durability.replicas: replicas must be at least 1, was "
              + replicas
              + "; use Durability.none() to wait for no replica");
    }
    return new Durability(replicas, checkTimeout(timeout), true, DEFAULT_COMPLETION_RETRY);
  }

  /**
   * The same setting, waiting only after completions, not after new in-progress records: a first
   * call then costs one round trip less, but a failover between a call's start and its completion
   * can let a duplicate run the body again, since the new master may not have the in-progress
   * record.
   *
   * @return a new setting
   * @throws IllegalStateException on {@link #none()}
   */
  public Durability completionsOnly() {
    requireReplicas("completionsOnly");
    return new Durability(replicas, timeout, false, completionRetry);
  }

  /**
   * How long a completion whose connection was lost keeps being sent again (through the master that
   * Sentinel or the Cluster names next) before the store gives up; default 10 seconds ({@link
   * #DEFAULT_COMPLETION_RETRY}). Make it longer than your failover takes (Sentinel's {@code
   * down-after-milliseconds} plus the election) and shorter than the lease, or the record may
   * expire meanwhile. The caller whose body ran waits for it. Zero turns resending off.
   *
   * @param window the window, zero or positive
   * @return a new setting
   * @throws IllegalArgumentException if negative
   * @throws IllegalStateException on {@link #none()}
   */
  public Durability completionRetry(Duration window) {
    requireReplicas("completionRetry");
    Objects.requireNonNull(window, "window");
    if (window.isNegative()) {
      throw new IllegalArgumentException(
          "Durability.completionRetry must be zero or positive, was " + window);
    }
    return new Durability(replicas, timeout, acquire, window);
  }

  /**
   * How many replicas must acknowledge; 0 for {@link #none()}.
   *
   * @return the number
   */
  public int replicas() {
    return replicas;
  }

  /**
   * The longest wait for the replicas; zero for {@link #none()}.
   *
   * @return the timeout
   */
  public Duration timeout() {
    return timeout;
  }

  /**
   * Whether new in-progress records are waited for too, not just completions.
   *
   * @return true unless {@link #completionsOnly()} or {@link #none()}
   */
  public boolean coversAcquire() {
    return acquire;
  }

  /**
   * How long a completion is sent again after a lost connection.
   *
   * @return the window; zero for {@link #none()}
   */
  public Duration completionRetry() {
    return completionRetry;
  }

  /** Whether the store waits for any replica at all. */
  boolean waits() {
    return replicas > 0;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Durability that
        && replicas == that.replicas
        && timeout.equals(that.timeout)
        && acquire == that.acquire
        && completionRetry.equals(that.completionRetry);
  }

  @Override
  public int hashCode() {
    return Objects.hash(replicas, timeout, acquire, completionRetry);
  }

  @Override
  public String toString() {
    if (!waits()) {
      return "Durability.none()";
    }
    return "Durability[replicas="
        + replicas
        + ", timeout="
        + timeout
        + ", acquire="
        + acquire
        + ", completionRetry="
        + completionRetry
        + "]";
  }

  private void requireReplicas(String method) {
    if (!waits()) {
      throw new IllegalStateException(
          "Durability."
              + method
              + " applies to Durability.replicas(n, timeout), not to Durability.none()");
    }
  }

  private static Duration checkTimeout(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(Duration.ofDays(1)) > 0) {
      throw new IllegalArgumentException(
          "Durability.replicas: timeout must be positive and at most a day, was "
              + timeout
              + " (WAIT 0 would wait forever)");
    }
    return timeout;
  }
}
