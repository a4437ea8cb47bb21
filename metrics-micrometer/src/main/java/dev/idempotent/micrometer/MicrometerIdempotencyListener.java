package dev.idempotent.micrometer;

import dev.idempotent.IdempotencyEngine;
import dev.idempotent.IdempotencyEvent;
import dev.idempotent.IdempotencyListener;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

/**
 * Records the engine's events as Micrometer meters, tagged by namespace: one line wires it.
 *
 * <pre>{@code
 * IdempotencyEngine engine = IdempotencyEngine.builder()
 *     .store(store)
 *     .listener(MicrometerIdempotencyListener.create(meterRegistry))
 *     .build();
 * }</pre>
 *
 * <p>Meters, with the default prefix {@value #DEFAULT_PREFIX}; every one carries the tag {@value
 * #NAMESPACE_TAG} and the common tags given to the {@link Builder}:
 *
 * <ul>
 *   <li>{@code idempotent.calls} (counter), tag {@code result}: {@code executed} (the body ran; its
 *       outcome was recorded, or released after an exception that is not recorded), {@code
 *       replayed} (a duplicate got the first call's outcome), {@code rejected} (a duplicate was
 *       refused while the first call ran, or waited past its timeout), {@code key_reuse} (the key
 *       came with different arguments), {@code fail_open} (the store failed and the body ran
 *       unprotected).
 *   <li>{@code idempotent.waits} (timer): how long duplicates waited for a running call; its count
 *       is the number of calls that waited.
 *   <li>{@code idempotent.stale.completions} (counter): bodies that finished after their lease had
 *       been taken over, whose outcome was not written.
 *   <li>{@code idempotent.store.failures} (counter): store operations that threw.
 *   <li>{@code idempotent.store.operations} (timer), tag {@code operation}: {@code acquire}, {@code
 *       complete}, {@code release}; store operations that finished, by how long they took.
 * </ul>
 *
 * <p>Tags never carry a key or an argument: a namespace names a method or a programmatic operation,
 * so the number of time series is bounded by the code. As a guard against namespaces built from
 * data, the namespaces past {@link Builder#maxNamespaces(int)} share the tag value {@value
 * #OVERFLOW_NAMESPACE}.
 *
 * <p>The meters of a namespace are registered together when its first event arrives (so an alert on
 * {@code idempotent.stale.completions} finds a series at zero before anything goes wrong) and kept
 * in a map: recording an event is a map lookup and an increment, never a registry lookup. Two
 * listeners on the same registry share its meters. Thread-safe.
 */
public final class MicrometerIdempotencyListener implements IdempotencyListener {
  /** The default prefix of meter names. */
  public static final String DEFAULT_PREFIX = "idempotent";

  /** The tag that carries the namespace. */
  public static final String NAMESPACE_TAG = "namespace";

  /** The namespace tag's value for namespaces past {@link Builder#maxNamespaces(int)}. */
  public static final String OVERFLOW_NAMESPACE = "_other";

  /** The default bound on distinct namespace tag values. */
  public static final int DEFAULT_MAX_NAMESPACES = 1000;

  private final MeterRegistry registry;
  private final String prefix;
  private final Tags commonTags;
  private final int maxNamespaces;
  private final ConcurrentMap<String, NamespaceMeters> meters = new ConcurrentHashMap<>();
  private volatile NamespaceMeters overflow;

  private MicrometerIdempotencyListener(Builder builder) {
    this.registry = builder.registry;
    this.prefix = builder.prefix;
    this.commonTags = builder.tags;
    this.maxNamespaces = builder.maxNamespaces;
  }

  /**
   * A listener with the default prefix {@value #DEFAULT_PREFIX}, no common tags and at most {@value
   * #DEFAULT_MAX_NAMESPACES} namespaces, for {@link IdempotencyEngine.Builder#listener}.
   *
   * @param registry where the meters are registered
   * @throws NullPointerException when {@code registry} is null
   */
  public static MicrometerIdempotencyListener create(MeterRegistry registry) {
    return builder(registry).build();
  }

  /**
   * A builder for a listener with a prefix, common tags or another namespace bound.
   *
   * @param registry where the meters are registered
   * @throws NullPointerException when {@code registry} is null
   */
  public static Builder builder(MeterRegistry registry) {
    return new Builder(registry);
  }

  /** Records one event; never throws for an event the engine emits. */
  @Override
  public void onEvent(IdempotencyEvent event) {
    NamespaceMeters m = metersOf(event.namespace());
    switch (event.type()) {
      case EXECUTED:
        m.executed.increment();
        break;
      case REPLAYED:
        m.replayed.increment();
        break;
      case REJECTED:
        m.rejected.increment();
        break;
      case KEY_REUSE:
        m.keyReuse.increment();
        break;
      case FAIL_OPEN:
        m.failOpen.increment();
        break;
      case WAITED:
        m.waits.record(event.durationNanos(), TimeUnit.NANOSECONDS);
        break;
      case STALE_COMPLETION:
        m.staleCompletions.increment();
        break;
      case STORE_FAILURE:
        m.storeFailures.increment();
        break;
      case STORE_ACQUIRE:
        m.acquire.record(event.durationNanos(), TimeUnit.NANOSECONDS);
        break;
      case STORE_COMPLETE:
        m.complete.record(event.durationNanos(), TimeUnit.NANOSECONDS);
        break;
      case STORE_RELEASE:
        m.release.record(event.durationNanos(), TimeUnit.NANOSECONDS);
        break;
      default:
        // A type added to the engine later has no meter yet; it is not an error to see it.
        break;
    }
  }

  /** True: the store operation timers need the engine's timing events. */
  @Override
  public boolean wantsTimings() {
    return true;
  }

  private NamespaceMeters metersOf(String namespace) {
    NamespaceMeters m = meters.get(namespace);
    if (m != null) {
      return m;
    }
    if (meters.size() >= maxNamespaces) {
      return overflowMeters();
    }
    return meters.computeIfAbsent(
        namespace, ns -> new NamespaceMeters(registry, prefix, commonTags.and(NAMESPACE_TAG, ns)));
  }

  private NamespaceMeters overflowMeters() {
    NamespaceMeters m = overflow;
    if (m == null) {
      synchronized (this) {
        m = overflow;
        if (m == null) {
          m =
              new NamespaceMeters(
                  registry, prefix, commonTags.and(NAMESPACE_TAG, OVERFLOW_NAMESPACE));
          overflow = m;
        }
      }
    }
    return m;
  }

  @Override
  public String toString() {
    return "MicrometerIdempotencyListener[prefix=" + prefix + ", registry=" + registry + "]";
  }

  /**
   * Settings for a {@link MicrometerIdempotencyListener}. Not thread-safe; the listener it builds
   * is.
   */
  public static final class Builder {
    private final MeterRegistry registry;
    private String prefix = DEFAULT_PREFIX;
    private Tags tags = Tags.empty();
    private int maxNamespaces = DEFAULT_MAX_NAMESPACES;

    private Builder(MeterRegistry registry) {
      this.registry = Objects.requireNonNull(registry, "registry");
    }

    /**
     * The first part of every meter name, {@value #DEFAULT_PREFIX} unless set: with {@code
     * "payments.idempotent"} the calls counter is {@code payments.idempotent.calls}.
     *
     * @throws IllegalArgumentException when {@code prefix} is blank
     */
    public Builder prefix(String prefix) {
      Objects.requireNonNull(prefix, "prefix");
      if (prefix.isBlank()) {
        throw new IllegalArgumentException(
            "MicrometerIdempotencyListener.Builder.prefix must not be blank; the default is \""
                + DEFAULT_PREFIX
                + "\"");
      }
      this.prefix = prefix;
      return this;
    }

    /**
     * Tags added to every meter, such as the service or the store, on top of those added before.
     *
     * @throws IllegalArgumentException when a tag's key is {@value #NAMESPACE_TAG}, which the
     *     listener sets itself
     */
    public Builder tags(Iterable<Tag> tags) {
      Objects.requireNonNull(tags, "tags");
      for (Tag tag : tags) {
        if (tag.getKey().equals(NAMESPACE_TAG)) {
          throw new IllegalArgumentException(
              "MicrometerIdempotencyListener.Builder.tags: the tag '"
                  + NAMESPACE_TAG
                  + "' is set by the listener for each event; choose another key");
        }
      }
      this.tags = this.tags.and(tags);
      return this;
    }

    /**
     * Tags as key-value pairs, such as {@code tags("store", "redis")}; see {@link #tags(Iterable)}.
     *
     * @throws IllegalArgumentException when the count is odd or a key is {@value #NAMESPACE_TAG}
     */
    public Builder tags(String... keyValues) {
      return tags(Tags.of(keyValues));
    }

    /**
     * The most namespaces given a tag value of their own, {@value #DEFAULT_MAX_NAMESPACES} unless
     * set; events of further namespaces are recorded under {@value #OVERFLOW_NAMESPACE}. Annotated
     * methods cannot reach the bound; programmatic operations whose namespace is built from data
     * can, and this keeps them from flooding the registry.
     *
     * @throws IllegalArgumentException when {@code maxNamespaces} is less than 1
     */
    public Builder maxNamespaces(int maxNamespaces) {
      if (maxNamespaces < 1) {
        throw new IllegalArgumentException(
            "MicrometerIdempotencyListener.Builder.maxNamespaces must be at least 1, was "
                + maxNamespaces);
      }
      this.maxNamespaces = maxNamespaces;
      return this;
    }

    /** Builds the listener; its meters are registered as namespaces are first seen. */
    public MicrometerIdempotencyListener build() {
      return new MicrometerIdempotencyListener(this);
    }
  }
}
