package dev.idempotent.redis;

import dev.idempotent.IdempotencyStoreException;
import dev.idempotent.redis.ScriptRunner.ReplicationUnconfirmed;
import dev.idempotent.store.Acquisition;
import dev.idempotent.store.IdempotencyKey;
import dev.idempotent.store.IdempotencyStore;
import dev.idempotent.store.Outcome;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.RedisClusterURIUtil;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.CommandOutput;
import io.lettuce.core.output.IntegerOutput;
import io.lettuce.core.output.ValueListOutput;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * An {@link IdempotencyStore} on Redis, through Lettuce: the store to share between the processes
 * of a service that runs on several machines.
 *
 * <pre>{@code
 * RedisIdempotencyStore store = RedisIdempotencyStore.builder("redis://localhost:6379").build();
 * IdempotencyEngine engine = IdempotencyEngine.builder().store(store).build();
 * }</pre>
 *
 * <p>Each record is a Redis hash under the key {@code <prefix><namespace length>:<namespace>:
 * <value>} (prefix {@value #DEFAULT_KEY_PREFIX} by default), holding the state, the fencing token
 * while in progress, the fingerprint and, once completed, the outcome bytes that the engine's codec
 * wrote. Every operation is one Lua script on that one key, sent in one round trip: {@code acquire}
 * creates the in-progress record or answers the existing one; {@code complete}, {@code release} and
 * {@code renew} are compare-and-sets on the token. A duplicate of a completed call therefore costs
 * one round trip and a first call two (acquire and complete). Expiry is Redis's own ({@code
 * PEXPIRE}): the lease for an in-progress record, the ttl for a completed one; nothing sweeps.
 *
 * <p>Because every operation touches exactly one key, the store works unchanged on Redis Cluster
 * ({@link #clusterBuilder(String)}) without hash tags, and on Sentinel ({@code
 * redis-sentinel://...} URIs).
 *
 * <p>The store follows topology changes without being rebuilt: a Sentinel failover (Lettuce asks
 * the Sentinels for the master on every reconnect), and a Cluster's {@code MOVED} and {@code ASK}
 * answers and failovers. Clients the store creates itself reconnect at least once a second and, for
 * a Cluster, refresh the topology on every adaptive trigger (at most once a second) and every 30
 * seconds. Redis replicates asynchronously, so by default a failover can lose the newest records;
 * {@link Builder#durability} makes the store wait for replicas after each new record and each
 * completion (see {@link Durability}).
 *
 * <p>Failures (Redis unreachable, an error answer, no answer within the command timeout, a value at
 * a record's key that is not a record) are thrown as {@link IdempotencyStoreException}s naming the
 * key's namespace; the engine then fails closed. Fencing tokens are unique across processes: 96
 * random bits drawn once per store, then a counter.
 *
 * <p>Thread-safe: one store serves every thread of the application over one multiplexed connection.
 * {@link #close()} closes the connection and client only if the store opened them.
 */
public final class RedisIdempotencyStore implements IdempotencyStore, AutoCloseable {
  /** The prefix of every record's Redis key unless {@link Builder#keyPrefix} says otherwise. */
  public static final String DEFAULT_KEY_PREFIX = "idempotent:";

  /** How long a Redis command may take unless {@link Builder#commandTimeout} says otherwise. */
  public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(2);

  /** The longest pause between two reconnection attempts of a client the store creates. */
  private static final Duration MAX_RECONNECT_DELAY = Duration.ofSeconds(1);

  /** Durations beyond this many milliseconds are cut to it (about 292,000 years). */
  private static final long MAX_MILLIS = Long.MAX_VALUE / 1000;

  private static final long FIRST_RESEND_PAUSE_MILLIS = 20;
  private static final long MAX_RESEND_PAUSE_MILLIS = 500;

  private final ScriptRunner runner;
  private final RecordLayout layout;
  private final Durability durability;

  /**
   * Every token starts with 96 random bits of this store's, as URL-safe Base64, and ends with a
   * counter: unique across processes without drawing random bytes per call, which every duplicate's
   * acquire would otherwise pay for under {@code SecureRandom}'s lock.
   */
  private final String tokenPrefix = randomPrefix();

  private final AtomicLong tokens = new AtomicLong();
  private final AtomicBoolean closed = new AtomicBoolean();

  /** When an acquire reads the record before it runs the acquire script. */
  enum ReadFirst {
    /** While most recent acquires found a completed record (the default). */
    WHEN_MOSTLY_DUPLICATES,
    /** Always; for tests of that path. */
    ALWAYS,
    /** Never; for tests of the script alone. */
    NEVER
  }

  private final ReadFirst readFirst;

  /**
   * The share of recent acquires that found a completed record, in 256ths, moving by a sixteenth of
   * the difference per acquire. Updated without synchronization: a lost update only delays the
   * switch between reading first and scripting first, and either path answers the same.
   */
  private int completedShare;

  private RedisIdempotencyStore(
      ScriptRunner runner, RecordLayout layout, Durability durability, ReadFirst readFirst) {
    this.runner = runner;
    this.layout = layout;
    this.durability = durability;
    this.readFirst = readFirst;
  }

  /**
   * A builder for a store that opens its own client and connection to a standalone or Sentinel
   * Redis, and closes them on {@link #close()}.
   *
   * @param redisUri a URI as Lettuce reads it: {@code redis://[password@]host[:port][/database]},
   *     {@code rediss://...} for TLS, {@code redis-socket:///path}, or {@code
   *     redis-sentinel://host:26379[,host2:26379]/database#masterName}
   * @return a builder; {@link Builder#build()} connects
   * @throws IllegalArgumentException when the URI cannot be read
   */
  public static Builder builder(String redisUri) {
    Objects.requireNonNull(redisUri, "redisUri");
    RedisURI uri = RedisURI.create(redisUri);
    return new Builder(
        () -> {
          ClientResources resources = clientResources();
          RedisClient client = RedisClient.create(resources, uri);
          // While reconnecting, reject commands at once instead of buffering them until the
          // command timeout: a call fails closed without waiting.
          client.setOptions(
              ClientOptions.builder()
                  .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                  .build());
          return opened(
              () -> {
                client.shutdown();
                resources.shutdown().get();
              },
              () -> client.connect(ByteArrayCodec.INSTANCE),
              MasterRoute::single,
              uri.toString());
        });
  }

  /**
   * A builder for a store that opens its own client and connection to a Redis Cluster, and closes
   * them on {@link #close()}. The store needs no hash tags: every operation touches one key.
   *
   * @param seedUris one or more nodes of the cluster, as {@code
   *     redis://[password@]host1:port1[,host2:port2...]}; the client discovers the rest
   * @return a builder; {@link Builder#build()} connects
   * @throws IllegalArgumentException when the URI cannot be read
   */
  public static Builder clusterBuilder(String seedUris) {
    Objects.requireNonNull(seedUris, "seedUris");
    List<RedisURI> seeds = RedisClusterURIUtil.toRedisURIs(URI.create(seedUris));
    return new Builder(
        () -> {
          // Lettuce's default disconnected behaviour stays: a cluster opens its node connections
          // lazily, and commands must wait for them; during an outage the command timeout ends
          // the wait, and a command cancelled by it is never sent later.
          ClientResources resources = clientResources();
          RedisClusterClient client = RedisClusterClient.create(resources, seeds);
          client.setOptions(clusterOptions());
          return opened(
              () -> {
                client.shutdown();
                resources.shutdown().get();
              },
              () -> client.connect(ByteArrayCodec.INSTANCE),
              connection -> clusterRoute(connection, client::refreshPartitions),
              "the cluster at " + seeds);
        });
  }

  /**
   * A builder for a store that opens its own connection through the application's client, so it
   * shares the client's threads and settings. {@link #close()} closes that connection, not the
   * client.
   *
   * @param client a client created with a URI ({@code RedisClient.create("redis://...")})
   * @return a builder; {@link Builder#build()} opens the connection
   */
  public static Builder builder(RedisClient client) {
    Objects.requireNonNull(client, "client");
    return new Builder(
        () ->
            opened(
                () -> {},
                () -> client.connect(ByteArrayCodec.INSTANCE),
                MasterRoute::single,
                "the client"));
  }

  /**
   * A builder for a store that opens its own connection through the application's Cluster client.
   * {@link #close()} closes that connection, not the client.
   *
   * @param client a Cluster client created with its seed URIs
   * @return a builder; {@link Builder#build()} opens the connection
   */
  public static Builder builder(RedisClusterClient client) {
    Objects.requireNonNull(client, "client");
    return new Builder(
        () ->
            opened(
                () -> {},
                () -> client.connect(ByteArrayCodec.INSTANCE),
                connection -> clusterRoute(connection, client::refreshPartitions),
                "the cluster client"));
  }

  /**
   * A builder for a store that sends its commands on the application's connection, whatever its
   * codec: the store encodes its own keys and values. {@link #close()} leaves the connection open.
   * Do not share a connection that is used for transactions ({@code MULTI}), blocking commands or
   * Pub/Sub: commands of this store would wait behind them or join the transaction.
   *
   * @param connection an open standalone or Sentinel connection
   * @return a builder
   */
  public static Builder builder(StatefulRedisConnection<?, ?> connection) {
    Objects.requireNonNull(connection, "connection");
    return new Builder(() -> new Opened(connection, MasterRoute.single(connection), List.of()));
  }

  /**
   * A builder for a store that sends its commands on the application's Cluster connection, whatever
   * its codec. {@link #close()} leaves the connection open.
   *
   * @param connection an open Cluster connection
   * @return a builder
   */
  public static Builder builder(StatefulRedisClusterConnection<?, ?> connection) {
    Objects.requireNonNull(connection, "connection");
    return new Builder(
        () -> new Opened(connection, MasterRoute.cluster(connection, null), List.of()));
  }

  /**
   * {@inheritDoc}
   *
   * <p>One round trip: the acquire script creates the in-progress record (hash fields {@code s},
   * {@code t}, {@code f}, expiring after the lease) when the key is absent, or answers the existing
   * record. An in-progress record whose lease ran out has already expired in Redis. With {@link
   * Builder#durability} (unless {@link Durability#completionsOnly()}), a new record is followed by
   * {@code WAIT} for the replicas; when too few acknowledge in time, the store deletes the record
   * again and throws, so the body does not run.
   *
   * <p>While most of this store's recent acquires found a completed record, an acquire first reads
   * the record with a plain {@code HGETALL} and answers a duplicate from it without the script,
   * which costs Redis several times a read; a key with no record then takes a second round trip,
   * the script above.
   *
   * @throws IdempotencyStoreException when Redis fails, the key holds something that is not a
   *     record of this store, or too few replicas acknowledged a new record
   */
  @Override
  public Acquisition acquire(IdempotencyKey key, String fingerprint, Duration lease) {
    long leaseMillis = millis(lease);
    byte[] redisKey = redisKey(key);
    if (readsFirst()) {
      // A duplicate's answer without a script: the script would only have read the same record.
      List<byte[]> record;
      try {
        record = runner.read(redisKey);
      } catch (RuntimeException e) {
        throw acquireFailure(key, e);
      }
      if (!record.isEmpty()) {
        return noted(layout.read(key, null, record));
      }
    }
    String token = newToken();
    byte[] tokenBytes = token.getBytes(StandardCharsets.US_ASCII);
    Object[] args =
        fingerprint == null
            ? new Object[] {tokenBytes, leaseMillis}
            : new Object[] {tokenBytes, leaseMillis, fingerprint.getBytes(StandardCharsets.UTF_8)};
    List<byte[]> answer;
    try {
      answer =
          durability.coversAcquire()
              ? runner.runReplicated(
                  RecordScript.ACQUIRE, listOutput(), List::isEmpty, redisKey, args)
              : runner.run(RecordScript.ACQUIRE, listOutput(), redisKey, args);
    } catch (ReplicationUnconfirmed e) {
      // The body must not run on a record a failover could lose; free the key for a retry.
      try {
        runner.run(RecordScript.RELEASE, integerOutput(), redisKey, tokenBytes);
      } catch (RuntimeException releasing) {
        e.addSuppressed(releasing);
      }
      throw acquireFailure(key, e);
    } catch (RuntimeException e) {
      throw acquireFailure(key, e);
    }
    return noted(layout.read(key, token, answer));
  }

  /**
   * Whether this acquire reads the record first. Reading first saves a duplicate the script, which
   * costs Redis several times a plain read, and costs a new key one more round trip; so it is done
   * while most recent acquires found a completed record.
   */
  boolean readsFirst() {
    return switch (readFirst) {
      case ALWAYS -> true;
      case NEVER -> false;
      case WHEN_MOSTLY_DUPLICATES -> completedShare >= 128;
    };
  }

  private Acquisition noted(Acquisition answer) {
    int share = completedShare;
    completedShare =
        share - (share >> 4) + (answer.status() == Acquisition.Status.COMPLETED ? 16 : 0);
    return answer;
  }

  /**
   * {@inheritDoc}
   *
   * <p>One round trip: a script that checks the token and writes the outcome bytes, drops the token
   * and sets the expiry to the ttl. With {@link Builder#durability}, a second one: {@code WAIT} for
   * the replicas; a completion whose connection was lost is sent again for up to {@link
   * Durability#completionRetry()}.
   *
   * @throws IdempotencyStoreException when Redis fails
   * @throws IllegalStateException when the outcome is not {@linkplain Outcome#encoded encoded}
   */
  @Override
  public boolean complete(IdempotencyKey key, String token, Outcome outcome, Duration ttl) {
    Objects.requireNonNull(token, "token");
    byte[] bytes = outcome.bytes();
    byte[] tokenBytes = token.getBytes(StandardCharsets.US_ASCII);
    long ttlMillis = millis(ttl);
    if (!durability.waits()) {
      return compareAndSet(RecordScript.COMPLETE, key, tokenBytes, ttlMillis, bytes);
    }
    return completeDurably(key, tokenBytes, ttlMillis, bytes);
  }

  /**
   * Completes and waits for the replicas; sends the completion again while its connection was lost
   * (a failover), within {@link Durability#completionRetry()}.
   */
  private boolean completeDurably(IdempotencyKey key, byte[] token, long ttlMillis, byte[] bytes) {
    byte[] redisKey = redisKey(key);
    long deadline = System.nanoTime() + durability.completionRetry().toNanos();
    long pauseMillis = FIRST_RESEND_PAUSE_MILLIS;
    RecordScript script = RecordScript.COMPLETE;
    while (true) {
      try {
        Long answer =
            runner.runReplicated(
                script,
                integerOutput(),
                written -> written != null && written == 1L,
                redisKey,
                token,
                ttlMillis,
                bytes);
        return answer != null && answer == 1L;
      } catch (RuntimeException e) {
        if (!mayHaveFailedOver(e) || System.nanoTime() - deadline >= 0 || closed.get()) {
          throw failure(script, key, e);
        }
      }
      // The connection was lost: the master died or was demoted. Send the completion again once
      // Lettuce has reconnected to the master that Sentinel or the cluster names next.
      runner.topologyChanged();
      script = RecordScript.COMPLETE_AGAIN;
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(pauseMillis));
      pauseMillis = Math.min(pauseMillis * 2, MAX_RESEND_PAUSE_MILLIS);
      if (Thread.currentThread().isInterrupted()) {
        throw failure(
            script, key, new RedisException("interrupted while sending the completion again"));
      }
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>One round trip: a script that checks the token and deletes the key.
   *
   * @throws IdempotencyStoreException when Redis fails
   */
  @Override
  public boolean release(IdempotencyKey key, String token) {
    Objects.requireNonNull(token, "token");
    return compareAndSet(RecordScript.RELEASE, key, token.getBytes(StandardCharsets.US_ASCII));
  }

  /**
   * {@inheritDoc}
   *
   * <p>One round trip: a script that checks the token and sets the expiry to the new lease.
   *
   * @throws IdempotencyStoreException when Redis fails
   */
  @Override
  public boolean renew(IdempotencyKey key, String token, Duration lease) {
    Objects.requireNonNull(token, "token");
    return compareAndSet(
        RecordScript.RENEW, key, token.getBytes(StandardCharsets.US_ASCII), millis(lease));
  }

  /**
   * The prefix of every record's Redis key, for operators who inspect or clean up records ({@code
   * SCAN MATCH <prefix>*}).
   *
   * @return the prefix
   */
  public String keyPrefix() {
    return layout.prefix();
  }

  /**
   * Closes the connection and the client if this store opened them; a connection or client that the
   * application passed in stays open. Calls after closing fail with {@link
   * IdempotencyStoreException}. Closing twice does nothing.
   *
   * @throws io.lettuce.core.RedisException when closing fails
   */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      runner.close();
    }
  }

  @Override
  public String toString() {
    return "RedisIdempotencyStore[keyPrefix=" + layout.prefix() + "]";
  }

  /**
   * The failure of an acquire; a durable store whose connection may have met a failover first lets
   * the route read the topology again, so that the caller's retry finds the new master.
   */
  private IdempotencyStoreException acquireFailure(IdempotencyKey key, RuntimeException e) {
    if (durability.coversAcquire() && mayHaveFailedOver(e)) {
      runner.topologyChanged();
    }
    return failure(RecordScript.ACQUIRE, key, e);
  }

  private boolean compareAndSet(RecordScript script, IdempotencyKey key, Object... args) {
    byte[] redisKey = redisKey(key);
    Long answer;
    try {
      answer = runner.run(script, integerOutput(), redisKey, args);
    } catch (RuntimeException e) {
      throw failure(script, key, e);
    }
    return answer != null && answer == 1L;
  }

  /**
   * Whether a failed durable write may have met a failover, so that sending it again can reach the
   * next master: the connection was lost or refused, no answer came in time, or a demoted master or
   * a cluster in transition refused the write. Too few acknowledgements on a live connection are
   * not: the replicas are behind or missing, and waiting again would only keep the caller longer.
   */
  private static boolean mayHaveFailedOver(RuntimeException e) {
    if (e instanceof ReplicationUnconfirmed unconfirmed) {
      return unconfirmed.connectionLost();
    }
    if (e instanceof RedisCommandExecutionException) {
      String message = String.valueOf(e.getMessage());
      return message.startsWith("READONLY")
          || message.startsWith("CLUSTERDOWN")
          || message.startsWith("TRYAGAIN")
          || message.startsWith("MASTERDOWN")
          || message.startsWith("LOADING");
    }
    return e instanceof RedisException;
  }

  private static Supplier<CommandOutput<byte[], byte[], Long>> integerOutput() {
    return () -> new IntegerOutput<>(ByteArrayCodec.INSTANCE);
  }

  private byte[] redisKey(IdempotencyKey key) {
    return layout.redisKey(Objects.requireNonNull(key, "key"));
  }

  private static Supplier<CommandOutput<byte[], byte[], List<byte[]>>> listOutput() {
    return () -> new ValueListOutput<>(ByteArrayCodec.INSTANCE);
  }

  private IdempotencyStoreException failure(
      RecordScript script, IdempotencyKey key, RuntimeException e) {
    if (e instanceof IdempotencyStoreException) {
      return (IdempotencyStoreException) e;
    }
    if (e instanceof RedisCommandExecutionException
        && e.getMessage() != null
        && e.getMessage().startsWith("WRONGTYPE")) {
      return layout.notAHash(key, script.operation(), e);
    }
    String state = closed.get() ? " (the store is closed)" : "";
    String cause =
        e instanceof ReplicationUnconfirmed
            ? e.getMessage()
                + "; check the replicas (INFO replication on the master) or lower"
                + " Durability.replicas"
            : e.toString();
    return new IdempotencyStoreException(
        "Redis store: "
            + script.operation()
            + " failed for a key of namespace '"
            + key.namespace()
            + "'"
            + state
            + ": "
            + cause,
        e);
  }

  /** This store's next token: its random prefix and a counter in base 36. */
  private String newToken() {
    return tokenPrefix + Long.toString(tokens.incrementAndGet(), Character.MAX_RADIX);
  }

  private static String randomPrefix() {
    byte[] bytes = new byte[12];
    new SecureRandom().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes) + ".";
  }

  /** Whole milliseconds, rounded up so that a lease never ends early, at least 1. */
  private static long millis(Duration duration) {
    Objects.requireNonNull(duration, "duration");
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException("a lease or ttl must be positive, was " + duration);
    }
    if (duration.getSeconds() >= MAX_MILLIS / 1000) {
      return MAX_MILLIS;
    }
    long millis = duration.toMillis();
    return duration.minusMillis(millis).isZero() ? millis : millis + 1;
  }

  /**
   * Client resources of a client the store creates: Lettuce's, but reconnecting at least once a
   * second (Lettuce's default backs off to 30 seconds), so that after a failover the store reaches
   * the new master within about a second of Sentinel or the cluster naming it.
   */
  private static ClientResources clientResources() {
    return ClientResources.builder()
        .reconnectDelay(
            Delay.exponential(Duration.ofMillis(1), MAX_RECONNECT_DELAY, 2, TimeUnit.MILLISECONDS))
        .build();
  }

  /**
   * Topology refresh of a cluster client the store creates: every adaptive trigger ({@code MOVED},
   * {@code ASK}, persistent reconnects, an uncovered slot, an unknown node), at most once a second,
   * and a periodic refresh every 30 seconds for changes no command runs into.
   */
  private static ClusterClientOptions clusterOptions() {
    return ClusterClientOptions.builder()
        .topologyRefreshOptions(
            ClusterTopologyRefreshOptions.builder()
                .enableAllAdaptiveRefreshTriggers()
                .adaptiveRefreshTriggersTimeout(Duration.ofSeconds(1))
                .refreshTriggersReconnectAttempts(3)
                .enablePeriodicRefresh(Duration.ofSeconds(30))
                .build())
        .build();
  }

  private static MasterRoute clusterRoute(StatefulConnection<?, ?> connection, Runnable refresh) {
    return MasterRoute.cluster((StatefulRedisClusterConnection<?, ?>) connection, refresh);
  }

  private static Opened opened(
      AutoCloseable client,
      Supplier<StatefulConnection<?, ?>> connect,
      Function<StatefulConnection<?, ?>, MasterRoute> route,
      String where) {
    StatefulConnection<?, ?> connection;
    try {
      connection = connect.get();
    } catch (RuntimeException e) {
      try {
        client.close();
      } catch (Exception closing) {
        e.addSuppressed(closing);
      }
      throw new IdempotencyStoreException(
          "Redis store: cannot connect to " + where + ": " + e.getMessage(), e);
    }
    List<AutoCloseable> owned = new ArrayList<>();
    owned.add(connection);
    owned.add(client);
    return new Opened(connection, route.apply(connection), owned);
  }

  /** A connection, where its durable writes go, and what the store must close with it. */
  private static final class Opened {
    final StatefulConnection<?, ?> connection;
    final MasterRoute route;
    final List<AutoCloseable> owned;

    Opened(StatefulConnection<?, ?> connection, MasterRoute route, List<AutoCloseable> owned) {
      this.connection = connection;
      this.route = route;
      this.owned = owned;
    }
  }

  /** Opens (or takes) the connection when the store is built. */
  private interface Source {
    Opened open();
  }

  /**
   * Settings for a {@link RedisIdempotencyStore}. Not thread-safe; the store it builds is.
   *
   * <p>Obtained from one of the store's static {@code builder} methods, which say where the store
   * connects.
   */
  public static final class Builder {
    private final Source source;
    private String keyPrefix = DEFAULT_KEY_PREFIX;
    private Duration commandTimeout = DEFAULT_COMMAND_TIMEOUT;
    private Durability durability = Durability.none();
    private ReadFirst readFirst = ReadFirst.WHEN_MOSTLY_DUPLICATES;

    private Builder(Source source) {
      this.source = source;
    }

    /**
     * The prefix of every record's Redis key; default {@value
     * RedisIdempotencyStore#DEFAULT_KEY_PREFIX}. Stores that must not see each other's records (two
     * applications on one Redis) use different prefixes. A prefix with braces ({@code "{idem}:"})
     * would make it a Cluster hash tag and put every record in one slot; without braces, records
     * spread over the cluster.
     *
     * @param keyPrefix the prefix, possibly empty; well-formed text, since Redis keys are its UTF-8
     * @return this builder
     * @throws NullPointerException if null
     * @throws IllegalArgumentException if it has an unpaired surrogate, which UTF-8 turns into
     *     {@code '?'}, so that two stores with different prefixes would share records
     */
    public Builder keyPrefix(String keyPrefix) {
      Objects.requireNonNull(keyPrefix, "keyPrefix");
      if (!keyPrefix.equals(
          new String(keyPrefix.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8))) {
        throw new IllegalArgumentException(
            "RedisIdempotencyStore.Builder.keyPrefix: the prefix has an unpaired surrogate, which"
                + " UTF-8 turns into '?', so it would share records with another prefix; write it"
                + " as well-formed text.");
      }
      this.keyPrefix = keyPrefix;
      return this;
    }

    /**
     * The longest wait for Redis to answer one command; default 2 seconds. A call whose acquire
     * gets no answer in time fails with {@link IdempotencyStoreException} and its body does not
     * run. Connecting in {@link #build()} is bounded by Lettuce's own settings instead (the URI's
     * {@code timeout}, 60 seconds by default; a refused connection fails at once).
     *
     * @param commandTimeout the timeout, positive
     * @return this builder
     * @throws IllegalArgumentException if not positive
     */
    public Builder commandTimeout(Duration commandTimeout) {
      Objects.requireNonNull(commandTimeout, "commandTimeout");
      if (commandTimeout.isNegative() || commandTimeout.isZero()) {
        throw new IllegalArgumentException(
            "RedisIdempotencyStore.Builder.commandTimeout must be positive, was " + commandTimeout);
      }
      this.commandTimeout = commandTimeout;
      return this;
    }

    /**
     * How many replicas must acknowledge a new in-progress record and a completion before the store
     * answers; default {@link Durability#none()}. See {@link Durability} for what happens when too
     * few acknowledge in time, and what it costs.
     *
     * @param durability the setting
     * @return this builder
     * @throws NullPointerException if null
     */
    public Builder durability(Durability durability) {
      this.durability = Objects.requireNonNull(durability, "durability");
      return this;
    }

    /**
     * Builds the store, connecting now when the store opens its own connection.
     *
     * @return the store
     * @throws IdempotencyStoreException when the store cannot connect
     */
    public RedisIdempotencyStore build() {
      Opened opened = source.open();
      return new RedisIdempotencyStore(
          new ScriptRunner(
              opened.connection, opened.route, durability, commandTimeout, opened.owned),
          new RecordLayout(keyPrefix),
          durability,
          readFirst);
    }

    /** When acquires read the record before the script; tests pin one path. */
    Builder readFirst(ReadFirst readFirst) {
      this.readFirst = Objects.requireNonNull(readFirst, "readFirst");
      return this;
    }
  }
}
