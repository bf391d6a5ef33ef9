package io.gim.store.redis;

import io.gim.spi.Stores;
import io.gim.spi.cluster.PresenceRegistry;
import io.gim.spi.cluster.RoomBus;
import io.gim.spi.store.DeviceStore;
import io.gim.spi.store.GroupStore;
import io.gim.spi.store.MessageStore;
import io.gim.store.redis.internal.Keys;
import io.gim.store.redis.internal.RedisDeviceStore;
import io.gim.store.redis.internal.RedisGroupStore;
import io.gim.store.redis.internal.RedisMessageStore;
import io.gim.store.redis.internal.RedisPresenceRegistry;
import io.gim.store.redis.internal.RedisRoomBus;
import io.gim.store.redis.internal.RedisTarget;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.metrics.MicrometerCommandLatencyRecorder;
import io.lettuce.core.metrics.MicrometerOptions;
import io.lettuce.core.resource.ClientResources;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Every store of a server on one Redis deployment, a single server or a Redis Cluster: messages,
 * groups and devices (a {@link Stores} bundle), plus the {@link #presence() presence registry} and
 * the {@link #roomBus() room bus}, which go to the server builder's {@code presence(..)} and {@code
 * roomBus(..)}.
 *
 * <pre>{@code
 * RedisStores redis = RedisStores.of("redis://127.0.0.1:6379");
 * GimServer server = GimServer.builder().auth(auth).stores(redis)
 *     .presence(redis.presence()).roomBus(redis.roomBus()).build();
 * }</pre>
 *
 * <p>Durability is Redis's: with {@code appendonly yes} and {@code appendfsync everysec} (the usual
 * setting) a send acknowledged in the last second before a Redis crash can be lost; {@code
 * appendfsync always} closes that gap at a cost in speed. The JDBC store is the durable default
 * (docs/operations.md). Keys of one user carry the hash tag {@code {u:<id>}}, so each per-user
 * script touches one cluster slot.
 *
 * <p>Calls fail fast with {@code STORE_UNAVAILABLE} (10303) while Redis is away, and work again by
 * themselves once it is back. {@link #close()} closes the stores' connections, and the client too
 * when this bundle created it; a client handed in stays open.
 */
public final class RedisStores implements Stores {
  /** The key prefix unless set: every key and channel starts with it. */
  public static final String DEFAULT_PREFIX = "gim:";

  /** The deadline of every Redis call unless set. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);

  private final RedisTarget target;
  private final RedisMessageStore messages;
  private final RedisGroupStore groups;
  private final RedisDeviceStore devices;
  private final RedisPresenceRegistry presence;
  private final RedisRoomBus roomBus;
  private final ClientResources ownedResources;
  private boolean closed;

  private RedisStores(Builder b, RedisTarget target, ClientResources ownedResources) {
    this.target = target;
    this.ownedResources = ownedResources;
    Keys keys = new Keys(b.prefix);
    this.messages =
        new RedisMessageStore(
            target, keys, new RedisMessageStore.Retention(b.inboxMaxEntries, b.inboxMaxAge));
    this.groups = new RedisGroupStore(target, keys);
    this.devices = new RedisDeviceStore(target, keys);
    this.presence = new RedisPresenceRegistry(target, keys);
    this.roomBus = new RedisRoomBus(target, keys);
  }

  /**
   * Stores on the server or cluster a URI names: {@code redis://host:port[/db]} (or {@code
   * rediss://} for TLS) for a single server, {@code redis-cluster://host:port[,host:port...]} for a
   * cluster (any reachable node is enough; the others are discovered). The client is created here
   * and closed by {@link #close()}.
   */
  public static RedisStores of(String uri) {
    return builder().uri(uri).build();
  }

  /** Stores on a single server through the host's client, which {@link #close()} leaves open. */
  public static RedisStores of(RedisClient client) {
    return builder().client(client).build();
  }

  /** Stores on a cluster through the host's client, which {@link #close()} leaves open. */
  public static RedisStores of(RedisClusterClient client) {
    return builder().client(client).build();
  }

  /** A builder, for the key prefix, deadline and inbox retention. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The client options this bundle gives the clients it creates, and that a host handing in its own
   * client should set too: commands fail at once while the connection is down instead of queueing,
   * reconnects are automatic, and a cluster client follows topology changes.
   */
  public static ClientOptions recommendedOptions(boolean cluster) {
    SocketOptions socket = SocketOptions.builder().connectTimeout(Duration.ofSeconds(2)).build();
    TimeoutOptions timeouts = TimeoutOptions.enabled(Duration.ofSeconds(5));
    if (cluster) {
      return ClusterClientOptions.builder()
          .autoReconnect(true)
          .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
          .socketOptions(socket)
          .timeoutOptions(timeouts)
          .topologyRefreshOptions(
              ClusterTopologyRefreshOptions.builder()
                  .enableAllAdaptiveRefreshTriggers()
                  .enablePeriodicRefresh(30, TimeUnit.SECONDS)
                  .build())
          .build();
    }
    return ClientOptions.builder()
        .autoReconnect(true)
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .socketOptions(socket)
        .timeoutOptions(timeouts)
        .build();
  }

  @Override
  public MessageStore messages() {
    return messages;
  }

  @Override
  public GroupStore groups() {
    return groups;
  }

  @Override
  public DeviceStore devices() {
    return devices;
  }

  /** Which node holds which device: for the server builder's {@code presence(..)}. */
  public PresenceRegistry presence() {
    return presence;
  }

  /** Room and broadcast messages to every node: for the server builder's {@code roomBus(..)}. */
  public RoomBus roomBus() {
    return roomBus;
  }

  /** Whether these stores are on a Redis Cluster. */
  public boolean cluster() {
    return target.cluster();
  }

  /**
   * Closes the room bus's subscriptions and the connections, then the client if this bundle created
   * it; idempotent. Calls still running fail with {@code STORE_UNAVAILABLE}.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    roomBus.close();
    presence.close();
    target.close();
    if (ownedResources != null) {
      ownedResources.shutdown(0, 2, TimeUnit.SECONDS);
    }
  }

  /** Settings of a {@link RedisStores}; {@link #uri} or {@link #client} is required. */
  public static final class Builder {
    private String uri;
    private AbstractRedisClient client;
    private String prefix = DEFAULT_PREFIX;
    private Duration timeout = DEFAULT_TIMEOUT;
    private int inboxMaxEntries;
    private Duration inboxMaxAge;
    private MeterRegistry meterRegistry;

    private Builder() {}

    /**
     * Where the client this bundle creates from a {@link #uri} records Lettuce's command latency
     * ({@code lettuce.command.completion} and {@code lettuce.command.firstresponse}, by command and
     * server); default none. For a {@link #client} of the host's, enable Lettuce's metrics on its
     * own {@code ClientResources} instead. The engine times every message store call itself ({@code
     * gim.store.calls}).
     */
    public Builder meterRegistry(MeterRegistry registry) {
      this.meterRegistry = Objects.requireNonNull(registry, "registry");
      return this;
    }

    /** The server or cluster to connect to, as {@link RedisStores#of(String)} reads it. */
    public Builder uri(String uri) {
      this.uri = Objects.requireNonNull(uri, "uri");
      this.client = null;
      return this;
    }

    /** The host's {@link RedisClient} or {@link RedisClusterClient}; left open by close(). */
    public Builder client(AbstractRedisClient client) {
      this.client = Objects.requireNonNull(client, "client");
      this.uri = null;
      return this;
    }

    /**
     * What every key and channel starts with, so that several deployments (or tests) can share one
     * Redis; default {@value #DEFAULT_PREFIX}. No braces: they would move the hash tag.
     */
    public Builder prefix(String prefix) {
      Objects.requireNonNull(prefix, "prefix");
      new Keys(prefix); // validates
      this.prefix = prefix;
      return this;
    }

    /** The deadline of every Redis call, after which it fails with 10303; default 2 s. */
    public Builder timeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("timeout: " + timeout + " (expected: positive)");
      }
      this.timeout = timeout;
      return this;
    }

    /**
     * The most entries one user's inbox keeps; an append past it drops the oldest. Default 0: no
     * cap, as GIM keeps everything (size Redis's memory for it, or set a cap or an age).
     */
    public Builder inboxMaxEntries(int max) {
      if (max < 0) {
        throw new IllegalArgumentException("inboxMaxEntries: " + max + " (expected: 0 or more)");
      }
      this.inboxMaxEntries = max;
      return this;
    }

    /**
     * How long an inbox entry is kept after it was accepted; older ones are dropped, oldest first,
     * by the user's next append or sync, and an inbox left alone for that long expires as a whole.
     * Default: for ever. Seqs and acks are kept either way.
     */
    public Builder inboxMaxAge(Duration maxAge) {
      new RedisMessageStore.Retention(0, maxAge); // validates
      this.inboxMaxAge = maxAge;
      return this;
    }

    /**
     * Connects (blocking, so not on an event loop) and makes the stores.
     *
     * @throws IllegalStateException naming the Redis that could not be reached, and why
     */
    public RedisStores build() {
      if (uri == null && client == null) {
        throw new IllegalStateException("uri or client is required");
      }
      boolean owns = client == null;
      String where = owns ? uri : "the given client";
      ClientResources resources =
          owns && meterRegistry != null
              ? ClientResources.builder()
                  .commandLatencyRecorder(
                      new MicrometerCommandLatencyRecorder(
                          meterRegistry, MicrometerOptions.create()))
                  .build()
              : null;
      AbstractRedisClient c = owns ? createClient(uri, resources) : client;
      RedisTarget target;
      try {
        target = RedisTarget.connect(c, owns, timeout);
      } catch (RuntimeException e) {
        shutdown(resources);
        throw new IllegalStateException(
            "cannot connect to Redis at " + where + ": " + e.getMessage(), e);
      }
      RedisStores stores;
      try {
        stores = new RedisStores(this, target, resources);
        stores.messages.epoch().get(timeout.toMillis() * 2, TimeUnit.MILLISECONDS);
      } catch (Exception e) {
        target.close();
        shutdown(resources);
        throw new IllegalStateException(
            "Redis at " + where + " did not answer: " + e.getMessage(), e);
      }
      return stores;
    }

    private static void shutdown(ClientResources resources) {
      if (resources != null) {
        resources.shutdown(0, 2, TimeUnit.SECONDS);
      }
    }

    private static AbstractRedisClient createClient(String uri, ClientResources resources) {
      String clusterScheme = "redis-cluster://";
      if (uri.startsWith(clusterScheme)) {
        List<RedisURI> seeds = new ArrayList<>();
        for (String hostPort : uri.substring(clusterScheme.length()).split(",")) {
          seeds.add(RedisURI.create("redis://" + hostPort.trim()));
        }
        RedisClusterClient cluster =
            resources == null
                ? RedisClusterClient.create(seeds)
                : RedisClusterClient.create(resources, seeds);
        cluster.setOptions((ClusterClientOptions) recommendedOptions(true));
        return cluster;
      }
      RedisClient single =
          resources == null
              ? RedisClient.create(RedisURI.create(uri))
              : RedisClient.create(resources, RedisURI.create(uri));
      single.setOptions(recommendedOptions(false));
      return single;
    }
  }
}
