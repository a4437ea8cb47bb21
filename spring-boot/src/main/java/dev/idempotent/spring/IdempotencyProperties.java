package dev.idempotent.spring;

import dev.idempotent.InFlight;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code idempotent.*} settings of the application context's engine and store. Bound by Spring
 * Boot at start-up; a wrong value (a duration that does not parse, a zero or negative duration, a
 * size below one) fails start-up with a message that names the property. Settings an annotation
 * names itself ({@code @Idempotent(ttl = "10m")}) win over the defaults here.
 *
 * <p>Mutable while Boot binds it, then read once to build the engine and the store; not
 * thread-safe, and not meant to be changed after start-up.
 */
@ConfigurationProperties(prefix = "idempotent")
public class IdempotencyProperties {
  /** Whether the starter configures anything at all. */
  private boolean enabled = true;

  /** The ttl of completed records where the annotation names none. */
  private Duration defaultTtl = Duration.ofHours(24);

  /** How long an unfinished call holds its key where the annotation names none. */
  private Duration defaultLease = Duration.ofSeconds(30);

  /** The longest wait for a running duplicate where the annotation names none. */
  private Duration defaultWaitTimeout = Duration.ofSeconds(30);

  /**
   * Whether a failing store lets calls run unprotected (reported as FAIL_OPEN events) instead of
   * failing them without running the body.
   */
  private boolean failOpen;

  /**
   * Whether key values are replaced by their SHA-256 before they reach the store. Changing it
   * changes every key: records written before are not found after.
   */
  private boolean hashKeys;

  /** The store and its settings. */
  private final Store store = new Store();

  /** The proxies that make {@code @Idempotent} effective on beans. */
  private final Proxy proxy = new Proxy();

  /** The Idempotency-Key servlet filter of idempotent-http-server. */
  private final Http http = new Http();

  /** Creates the settings with their defaults. */
  public IdempotencyProperties() {}

  /** Whether the starter configures anything at all; default true. */
  public boolean isEnabled() {
    return enabled;
  }

  /** Sets whether the starter configures anything at all. */
  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  /** The ttl of completed records where the annotation names none; default 24 hours. */
  public Duration getDefaultTtl() {
    return defaultTtl;
  }

  /**
   * Sets the default ttl.
   *
   * @throws IllegalArgumentException when it is not positive
   */
  public void setDefaultTtl(Duration defaultTtl) {
    this.defaultTtl = positive("idempotent.default-ttl", defaultTtl);
  }

  /** How long an unfinished call holds its key where the annotation names none; default 30 s. */
  public Duration getDefaultLease() {
    return defaultLease;
  }

  /**
   * Sets the default lease.
   *
   * @throws IllegalArgumentException when it is not positive
   */
  public void setDefaultLease(Duration defaultLease) {
    this.defaultLease = positive("idempotent.default-lease", defaultLease);
  }

  /** The longest wait for a running duplicate where the annotation names none; default 30 s. */
  public Duration getDefaultWaitTimeout() {
    return defaultWaitTimeout;
  }

  /**
   * Sets the default wait timeout.
   *
   * @throws IllegalArgumentException when it is not positive
   */
  public void setDefaultWaitTimeout(Duration defaultWaitTimeout) {
    this.defaultWaitTimeout = positive("idempotent.default-wait-timeout", defaultWaitTimeout);
  }

  /** Whether a failing store lets calls run unprotected; default false (fail closed). */
  public boolean isFailOpen() {
    return failOpen;
  }

  /** Sets whether a failing store lets calls run unprotected. */
  public void setFailOpen(boolean failOpen) {
    this.failOpen = failOpen;
  }

  /** Whether key values are hashed before they reach the store; default false. */
  public boolean isHashKeys() {
    return hashKeys;
  }

  /** Sets whether key values are hashed before they reach the store. */
  public void setHashKeys(boolean hashKeys) {
    this.hashKeys = hashKeys;
  }

  /** The store and its settings. */
  public Store getStore() {
    return store;
  }

  /** The proxies that make {@code @Idempotent} effective on beans. */
  public Proxy getProxy() {
    return proxy;
  }

  /** The Idempotency-Key servlet filter of idempotent-http-server. */
  public Http getHttp() {
    return http;
  }

  static Duration positive(String property, Duration value) {
    Objects.requireNonNull(value, property);
    if (value.isZero() || value.isNegative()) {
      throw new IllegalArgumentException(
          property + " must be a positive duration such as 30s, 10m or 24h, was " + value);
    }
    return value;
  }

  /** Where records are kept: {@code idempotent.store.*}. */
  public static class Store {
    /** Which store keeps the records; AUTO chooses from what the application has. */
    private StoreType type = StoreType.AUTO;

    /** The in-memory store's settings. */
    private final Caffeine caffeine = new Caffeine();

    /** The Redis store's settings. */
    private final Redis redis = new Redis();

    /** The JDBC store's settings. */
    private final Jdbc jdbc = new Jdbc();

    /** Creates the settings with their defaults. */
    public Store() {}

    /** Which store keeps the records; default {@link StoreType#AUTO}. */
    public StoreType getType() {
      return type;
    }

    /** Sets which store keeps the records. */
    public void setType(StoreType type) {
      this.type = Objects.requireNonNull(type, "idempotent.store.type");
    }

    /** The in-memory store's settings. */
    public Caffeine getCaffeine() {
      return caffeine;
    }

    /** The Redis store's settings. */
    public Redis getRedis() {
      return redis;
    }

    /** The JDBC store's settings. */
    public Jdbc getJdbc() {
      return jdbc;
    }
  }

  /** {@code idempotent.store.caffeine.*}: the in-memory store, records in this JVM only. */
  public static class Caffeine {
    /**
     * The most records kept; beyond it Caffeine evicts records before their ttl, and a duplicate of
     * an evicted record runs again. A guard against memory exhaustion, not a working-set size.
     */
    private long maximumSize = 1_000_000L;

    /** Creates the settings with their defaults. */
    public Caffeine() {}

    /** The most records kept; default 1,000,000. */
    public long getMaximumSize() {
      return maximumSize;
    }

    /**
     * Sets the most records kept.
     *
     * @throws IllegalArgumentException when it is below 1
     */
    public void setMaximumSize(long maximumSize) {
      if (maximumSize < 1) {
        throw new IllegalArgumentException(
            "idempotent.store.caffeine.maximum-size must be at least 1, was " + maximumSize);
      }
      this.maximumSize = maximumSize;
    }
  }

  /** {@code idempotent.store.redis.*}: records in Redis, shared by every instance. */
  public static class Redis {
    /**
     * A Redis URI as Lettuce reads it (redis://host:6379/0, rediss://..., redis-sentinel://...).
     * When unset, the store opens its own connection through the application's Lettuce client
     * (Spring Data Redis, spring.data.redis.*).
     */
    private String uri;

    /** The prefix of every record's Redis key. */
    private String keyPrefix = "idempotent:";

    /** How long one Redis command may take before the call fails (or runs, with fail-open). */
    private Duration commandTimeout = Duration.ofSeconds(2);

    /** Creates the settings with their defaults. */
    public Redis() {}

    /** The Redis URI, or null to use the application's Lettuce client. */
    public String getUri() {
      return uri;
    }

    /** Sets the Redis URI. */
    public void setUri(String uri) {
      this.uri = uri == null || uri.isBlank() ? null : uri.strip();
    }

    /** The prefix of every record's Redis key; default {@code idempotent:}. */
    public String getKeyPrefix() {
      return keyPrefix;
    }

    /**
     * Sets the prefix of every record's Redis key.
     *
     * @throws IllegalArgumentException when it is empty
     */
    public void setKeyPrefix(String keyPrefix) {
      if (keyPrefix == null || keyPrefix.isEmpty()) {
        throw new IllegalArgumentException(
            "idempotent.store.redis.key-prefix must not be empty; the default is idempotent:");
      }
      this.keyPrefix = keyPrefix;
    }

    /** How long one Redis command may take; default 2 s. */
    public Duration getCommandTimeout() {
      return commandTimeout;
    }

    /**
     * Sets how long one Redis command may take.
     *
     * @throws IllegalArgumentException when it is not positive
     */
    public void setCommandTimeout(Duration commandTimeout) {
      this.commandTimeout = positive("idempotent.store.redis.command-timeout", commandTimeout);
    }
  }

  /** {@code idempotent.store.jdbc.*}: records in a table of the application's DataSource. */
  public static class Jdbc {
    /** The table that holds the records: a plain identifier, optionally schema-qualified. */
    private String tableName = "idempotency_records";

    /**
     * Whether the store creates its table (and index) at start-up when missing. Turn it off when
     * migrations (Flyway, Liquibase) own the schema; JdbcIdempotencyStore.ddl gives the DDL.
     */
    private boolean createTable = true;

    /** How often expired records are deleted in the background; 0 turns the purge off. */
    private Duration purgeInterval = Duration.ofMinutes(1);

    /** Creates the settings with their defaults. */
    public Jdbc() {}

    /** The table that holds the records; default {@code idempotency_records}. */
    public String getTableName() {
      return tableName;
    }

    /** Sets the table that holds the records. */
    public void setTableName(String tableName) {
      this.tableName = Objects.requireNonNull(tableName, "idempotent.store.jdbc.table-name");
    }

    /** Whether the store creates its table when missing; default true. */
    public boolean isCreateTable() {
      return createTable;
    }

    /** Sets whether the store creates its table when missing. */
    public void setCreateTable(boolean createTable) {
      this.createTable = createTable;
    }

    /** How often expired records are deleted; default 1 minute, 0 for never. */
    public Duration getPurgeInterval() {
      return purgeInterval;
    }

    /**
     * Sets how often expired records are deleted.
     *
     * @throws IllegalArgumentException when it is negative
     */
    public void setPurgeInterval(Duration purgeInterval) {
      Objects.requireNonNull(purgeInterval, "idempotent.store.jdbc.purge-interval");
      if (purgeInterval.isNegative()) {
        throw new IllegalArgumentException(
            "idempotent.store.jdbc.purge-interval must be 0 (no purge) or positive, was "
                + purgeInterval);
      }
      this.purgeInterval = purgeInterval;
    }
  }

  /** {@code idempotent.proxy.*}: the advisor that runs {@code @Idempotent} methods of beans. */
  public static class Proxy {
    /**
     * The order of the idempotency advisor among the bean's other advisors. The default runs it
     * outside transactions (@Transactional's advisor has the lowest precedence), so a record is
     * completed only after the transaction committed.
     */
    private int order = IdempotentProxyConfiguration.DEFAULT_ORDER;

    /** Creates the settings with their defaults. */
    public Proxy() {}

    /** The order of the idempotency advisor; default {@code Ordered.LOWEST_PRECEDENCE - 1}. */
    public int getOrder() {
      return order;
    }

    /** Sets the order of the idempotency advisor. */
    public void setOrder(int order) {
      this.order = order;
    }
  }

  /**
   * {@code idempotent.http.*}: with idempotent-http-server on the class path in a servlet web
   * application, its {@code IdempotencyFilter} is registered for these routes.
   */
  public static class Http {
    /** The protected routes; none, and the filter is not registered. */
    private final List<Route> routes = new ArrayList<>();

    /**
     * The filter's order among the application's filters; the default (0) runs it after Spring
     * Security's filter chain (-100), so a request scope sees the authenticated principal.
     */
    private int filterOrder;

    /**
     * Whose keys a key belongs to, unless the application defines a RequestScope bean: NONE (every
     * client shares one key space), AUTHENTICATED_USER (the request's principal), or HEADER (the
     * value of scope-header, such as an API key). Must be chosen when routes are set.
     */
    private HttpScope scope;

    /** The request header whose value is the scope when scope is HEADER. */
    private String scopeHeader;

    /** Creates the settings with their defaults. */
    public Http() {}

    /** Whose keys a key belongs to; null until chosen. */
    public HttpScope getScope() {
      return scope;
    }

    /** Sets whose keys a key belongs to. */
    public void setScope(HttpScope scope) {
      this.scope = scope;
    }

    /** The request header whose value is the scope when the scope is HEADER. */
    public String getScopeHeader() {
      return scopeHeader;
    }

    /** Sets the request header whose value is the scope. */
    public void setScopeHeader(String scopeHeader) {
      this.scopeHeader = scopeHeader;
    }

    /** The protected routes. */
    public List<Route> getRoutes() {
      return routes;
    }

    /** The filter's order; default 0. */
    public int getFilterOrder() {
      return filterOrder;
    }

    /** Sets the filter's order. */
    public void setFilterOrder(int filterOrder) {
      this.filterOrder = filterOrder;
    }
  }

  /** {@code idempotent.http.routes[n].*}: one protected route. */
  public static class Route {
    /** The HTTP method. */
    private String method = "POST";

    /**
     * The path inside the application: literal segments, {@code *} or {@code {name}} for one
     * segment, a final {@code **} for any rest.
     */
    private String path;

    /** Whether a request without an Idempotency-Key header is refused with 400. */
    private boolean keyRequired = true;

    /** What a duplicate does while the first request runs: REJECT (409 at once) or WAIT. */
    private InFlight onInFlight = InFlight.REJECT;

    /** How long a recorded response is replayed; unset: idempotent.default-ttl. */
    private Duration ttl;

    /** Statuses recorded and replayed besides 2xx (which always are), such as 402 or 422. */
    private final List<Integer> recordStatuses = new ArrayList<>();

    /** Creates the settings with their defaults. */
    public Route() {}

    /** The HTTP method; default POST. */
    public String getMethod() {
      return method;
    }

    /** Sets the HTTP method. */
    public void setMethod(String method) {
      this.method = method;
    }

    /** The path pattern. */
    public String getPath() {
      return path;
    }

    /** Sets the path pattern. */
    public void setPath(String path) {
      this.path = path;
    }

    /** Whether a request without a key is refused; default true. */
    public boolean isKeyRequired() {
      return keyRequired;
    }

    /** Sets whether a request without a key is refused. */
    public void setKeyRequired(boolean keyRequired) {
      this.keyRequired = keyRequired;
    }

    /** What a duplicate does while the first request runs; default REJECT. */
    public InFlight getOnInFlight() {
      return onInFlight;
    }

    /** Sets what a duplicate does while the first request runs. */
    public void setOnInFlight(InFlight onInFlight) {
      this.onInFlight = Objects.requireNonNull(onInFlight, "idempotent.http.routes[].on-in-flight");
    }

    /** How long a recorded response is replayed, or null for the engine's default. */
    public Duration getTtl() {
      return ttl;
    }

    /**
     * Sets how long a recorded response is replayed.
     *
     * @throws IllegalArgumentException when it is not positive
     */
    public void setTtl(Duration ttl) {
      this.ttl = positive("idempotent.http.routes[].ttl", ttl);
    }

    /** Statuses recorded besides 2xx. */
    public List<Integer> getRecordStatuses() {
      return recordStatuses;
    }
  }

  /** Whose keys an HTTP request's Idempotency-Key belongs to. */
  public enum HttpScope {
    /** Every client shares one key space: only for keys no client can guess. */
    NONE,
    /** The authenticated principal of the request; a request without one is refused. */
    AUTHENTICATED_USER,
    /** The value of the header idempotent.http.scope-header, such as an API key. */
    HEADER
  }

  /** Which store keeps the records. */
  public enum StoreType {
    /**
     * Redis when idempotent-redis is on the class path and the application has a Lettuce connection
     * factory or sets idempotent.store.redis.uri; else JDBC when idempotent-jdbc is on the class
     * path and the application has one DataSource; else Caffeine.
     */
    AUTO,
    /** In this JVM's memory: records are lost on restart and not shared between instances. */
    CAFFEINE,
    /** Redis, through idempotent-redis. */
    REDIS,
    /** A table of the application's DataSource, through idempotent-jdbc. */
    JDBC
  }
}
