package io.gim.core;

import io.gim.core.internal.Engine;
import io.gim.core.memory.InMemoryPresenceRegistry;
import io.gim.core.memory.InMemoryRoomBus;
import io.gim.core.memory.InMemoryStores;
import io.gim.core.transport.Transport;
import io.gim.core.transport.TransportFactory;
import io.gim.spi.AuthProvider;
import io.gim.spi.SendPolicy;
import io.gim.spi.Stores;
import io.gim.spi.cluster.NodeLink;
import io.gim.spi.cluster.PresenceRegistry;
import io.gim.spi.cluster.RoomBus;
import io.gim.spi.store.GroupStore;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An embeddable instant-messaging server: long connections (TCP, WebSocket), sign-in through the
 * host's {@link AuthProvider}, inboxes with per-user seqs, groups, rooms and pushes.
 *
 * <pre>{@code
 * try (GimServer server = GimServer.builder()
 *         .auth(myAuthProvider)                 // required
 *         .tcp(8001).websocket(8002, "/ws")     // stores default to in-memory
 *         .build()) {
 *     server.start().join();
 *     server.messages().pushToUsers(List.of(42L), 1, bytes, true);
 *     server.blockUntilShutdown();
 * }
 * }</pre>
 *
 * <p>Thread-safe. {@link #start()} and every host API method are asynchronous; {@link #close()}
 * blocks until sockets, threads and stores are released and is idempotent.
 */
public final class GimServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(GimServer.class);
  private static final int TRANSPORT_CLOSE_SECONDS = 15;

  /** Covers the transport's close and a store's drain (the JDBC store allows its queue 10 s). */
  private static final int CLOSE_WAIT_SECONDS = 60;

  private final ServerConfig config;
  private final Stores stores;
  private final Engine engine;
  private final Transport transport;
  private final AuthProvider auth;
  private final MeterRegistry meterRegistry;
  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile boolean running;
  private final CompletableFuture<Void> terminated = new CompletableFuture<>();

  private GimServer(Builder b, ServerConfig config) {
    this.config = config;
    this.stores = b.stores != null ? b.stores : InMemoryStores.create();
    PresenceRegistry presence = b.presence != null ? b.presence : new InMemoryPresenceRegistry();
    RoomBus roomBus = b.roomBus != null ? b.roomBus : new InMemoryRoomBus();
    this.engine =
        new Engine(
            config,
            new Engine.Collaborators(
                b.auth,
                b.sendPolicy,
                stores,
                presence,
                roomBus,
                b.nodeLink,
                b.clock,
                b.meterRegistry));
    this.meterRegistry = b.meterRegistry;
    this.transport =
        config.listens().isEmpty() ? null : b.transportFactory().create(config, engine::accept);
    this.auth = b.auth;
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Binds the listeners and starts serving. The future completes when every listener is bound, or
   * fails (and the server closes itself) if one cannot be.
   */
  public CompletableFuture<Void> start() {
    if (closed.get()) {
      return CompletableFuture.failedFuture(new IllegalStateException("closed"));
    }
    if (!started.compareAndSet(false, true)) {
      return CompletableFuture.failedFuture(new IllegalStateException("already started"));
    }
    CompletableFuture<Void> engineStarted = engine.start();
    if (transport == null) {
      return engineStarted.thenRun(() -> running = !closed.get());
    }
    return engineStarted
        .thenCompose(ignored -> transport.start())
        .handle(
            (ok, failure) -> {
              if (failure == null) {
                log.info("GIM server {} started: {}", config.nodeId(), describeListeners());
                running = !closed.get();
                return CompletableFuture.<Void>completedFuture(null);
              }
              log.error("GIM server failed to start: {}", failure.toString());
              // Never close on this (transport) thread: closing waits for it to terminate.
              return closeAsync()
                  .thenCompose(closed -> CompletableFuture.<Void>failedFuture(failure));
            })
        .thenCompose(f -> f);
  }

  private String describeListeners() {
    List<String> parts = new ArrayList<>();
    for (ListenSpec l : config.listens()) {
      parts.add(l.kind() + " " + l.host() + ":" + transport.activePort(l.kind()) + l.path());
    }
    return String.join(", ", parts);
  }

  /**
   * Whether the server serves: {@link #start()} completed and {@link #close()} has not begun. For
   * health checks.
   */
  public boolean isRunning() {
    return running;
  }

  /** The bound port of the first listener of {@code kind}; for port 0 in tests. */
  public int activePort(ListenSpec.Kind kind) {
    if (transport == null || !started.get()) {
      throw new IllegalStateException("not started");
    }
    return transport.activePort(kind);
  }

  /** Sending from the host: to users, groups, rooms, everyone. */
  public Messages messages() {
    return engine.messages();
  }

  /** Group management, on the configured group store. */
  public GroupStore groups() {
    return stores.groups();
  }

  /** Device records, online devices, and this node's device connections. */
  public Devices devices() {
    return engine.devices();
  }

  /** Users' inboxes and devices' acks, for clients without a long connection (e.g. gRPC). */
  public Inboxes inboxes() {
    return engine.inboxes();
  }

  /**
   * The registry given to {@link Builder#meterRegistry}, for other front doors of the same server
   * (the gRPC API) to register their meters in; empty if none was given.
   */
  public Optional<MeterRegistry> meterRegistry() {
    return Optional.ofNullable(meterRegistry);
  }

  /**
   * The host's {@link AuthProvider}, the one sign-ins use; other front doors (the gRPC API)
   * authenticate with it too.
   */
  public AuthProvider auth() {
    return auth;
  }

  /** The frozen configuration. */
  public ServerConfig config() {
    return config;
  }

  /** Signed-in connections on this node now. */
  public int connectionCount() {
    return engine.sessionCount();
  }

  /** Rooms with at least one subscriber on this node now; an empty room costs nothing. */
  public int roomCount() {
    return engine.roomCount();
  }

  /** Blocks until {@link #close()} has finished. */
  public void blockUntilShutdown() {
    terminated.join();
  }

  /**
   * Stops accepting, closes every connection, releases the transport's threads and closes the
   * stores (which finish or fail their queued work); idempotent. Blocks until all of that is done:
   * the transport gets up to {@value #TRANSPORT_CLOSE_SECONDS} seconds and the stores their own
   * drain time, and this waits for both (at most {@value #CLOSE_WAIT_SECONDS} seconds in all). Must
   * not be called from a callback running on one of the server's network threads (use {@link
   * #closeAsync()} there).
   */
  @Override
  public void close() {
    try {
      closeAsync().get(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      log.warn("GIM server did not close cleanly", e);
    }
  }

  /**
   * Starts {@link #close()} on a thread of its own and returns at once; the future completes when
   * everything is released. Idempotent: every call returns the same future.
   */
  public CompletableFuture<Void> closeAsync() {
    running = false;
    if (closed.compareAndSet(false, true)) {
      Thread closer = new Thread(this::release, "gim-shutdown");
      closer.setDaemon(true);
      closer.start();
    }
    return terminated.copy();
  }

  private void release() {
    try {
      if (transport != null) {
        transport.close().get(TRANSPORT_CLOSE_SECONDS, TimeUnit.SECONDS);
      }
    } catch (Exception e) {
      log.warn("transport did not close cleanly", e);
    } finally {
      engine.stop();
      try {
        stores.close();
      } catch (Exception e) {
        log.warn("stores did not close cleanly", e);
      }
      terminated.complete(null);
    }
  }

  /**
   * Configures a {@link GimServer}. Not thread-safe. {@link #build()} validates every setting and
   * freezes them.
   */
  public static final class Builder {
    private AuthProvider auth;
    private SendPolicy sendPolicy = SendPolicy.ALLOW_ALL;
    private Stores stores;
    private PresenceRegistry presence;
    private RoomBus roomBus;
    private NodeLink nodeLink;
    private TransportFactory transport;
    private Clock clock = Clock.systemUTC();
    private MeterRegistry meterRegistry;
    private String nodeId;
    private final List<ListenSpec> listens = new ArrayList<>();
    private int maxFrameBytes = 1024 * 1024;
    private Duration readIdleTimeout = Duration.ofMinutes(12);
    private Duration signInTimeout = Duration.ofSeconds(30);
    private int maxSignInAttempts = 3;
    private int syncDefaultLimit = 50;
    private int syncMaxLimit = 500;
    private Duration dedupeWindow = Duration.ofHours(24);
    private int lowWaterMark = 512 * 1024;
    private int highWaterMark = 1024 * 1024;
    private int maxPendingOutboundBytes = 4 * 1024 * 1024;
    private Duration unwritableTimeout = Duration.ofSeconds(10);
    private Duration presenceTtl;
    private Duration nodeTtl = Duration.ofSeconds(30);
    private int ioThreads;
    private int maxRequestsInFlight = 256;
    private int maxStoreRequestsInFlight = 64;
    private int maxStoreSendsInFlight = 1024;

    private Builder() {}

    /** The host's sign-in check. Required. */
    public Builder auth(AuthProvider auth) {
      this.auth = Objects.requireNonNull(auth, "auth");
      return this;
    }

    /** The host's filter of client sends; default allows everything. */
    public Builder sendPolicy(SendPolicy sendPolicy) {
      this.sendPolicy = Objects.requireNonNull(sendPolicy, "sendPolicy");
      return this;
    }

    /**
     * Where messages, groups, devices and presence live; default {@link InMemoryStores}. The server
     * closes the bundle when it closes (a bundle built on a host's {@code DataSource} leaves that
     * pool open).
     */
    public Builder stores(Stores stores) {
      this.stores = Objects.requireNonNull(stores, "stores");
      return this;
    }

    /**
     * Which node holds which device; default in-memory (one node). A cluster shares one, e.g. on
     * Redis. The host keeps ownership.
     */
    public Builder presence(PresenceRegistry presence) {
      this.presence = Objects.requireNonNull(presence, "presence");
      return this;
    }

    /**
     * Carries room and broadcast messages to every node; default in-memory (one node). The host
     * keeps ownership.
     */
    public Builder roomBus(RoomBus roomBus) {
      this.roomBus = Objects.requireNonNull(roomBus, "roomBus");
      return this;
    }

    /** The transport; default: the one found with {@link ServiceLoader} (gim-transport-netty). */
    public Builder transport(TransportFactory transport) {
      this.transport = Objects.requireNonNull(transport, "transport");
      return this;
    }

    /**
     * Where the engine registers its meters (connections, sign-ins, requests by command and code,
     * messages accepted and delivered, fan-out sizes, store call latency, backpressure and
     * slow-consumer events: docs/operations.md lists them); default none, and then nothing is
     * registered anywhere. The registry stays the host's: the server does not close it.
     */
    public Builder meterRegistry(MeterRegistry registry) {
      this.meterRegistry = Objects.requireNonNull(registry, "registry");
      return this;
    }

    /** The clock stamping messages; default UTC system clock. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * The link to the other nodes of a cluster (e.g. {@code GrpcNodeLink} from
     * gim-transport-netty); default none: a single node. With a link, a message to a user reaches
     * the user's devices on every node (their routes come from the {@link #presence presence
     * registry}, which must then be shared, e.g. Redis), and a device signing in here kicks its
     * older connection on another node. The server serves the link when it starts and closes it
     * when it closes. The node id must be the name other nodes reach this one by through the link.
     */
    public Builder nodeLink(NodeLink nodeLink) {
      this.nodeLink = Objects.requireNonNull(nodeLink, "nodeLink");
      return this;
    }

    /** This node's name in the presence registry; default a random UUID. */
    public Builder nodeId(String nodeId) {
      this.nodeId = Objects.requireNonNull(nodeId, "nodeId");
      return this;
    }

    /** Listens for TCP on every interface; port 0 picks a free port. */
    public Builder tcp(int port) {
      return tcp("0.0.0.0", port);
    }

    /** Listens for TCP on one address. */
    public Builder tcp(String host, int port) {
      listens.add(new ListenSpec(ListenSpec.Kind.TCP, host, port, ""));
      return this;
    }

    /** Listens for WebSocket upgrades on {@code path} (e.g. {@code /ws}) on every interface. */
    public Builder websocket(int port, String path) {
      return websocket("0.0.0.0", port, path);
    }

    /** Listens for WebSocket upgrades on one address. */
    public Builder websocket(String host, int port, String path) {
      listens.add(new ListenSpec(ListenSpec.Kind.WEBSOCKET, host, port, path));
      return this;
    }

    /** The largest frame accepted, in bytes; default 1 MiB, at least 4 KiB. */
    public Builder maxFrameBytes(int maxFrameBytes) {
      this.maxFrameBytes = maxFrameBytes;
      return this;
    }

    /** Closes a connection that sends nothing for this long; default 12 minutes (GIM's). */
    public Builder readIdleTimeout(Duration timeout) {
      this.readIdleTimeout = Objects.requireNonNull(timeout, "readIdleTimeout");
      return this;
    }

    /** Closes a connection not signed in after this long; default 30 seconds. */
    public Builder signInTimeout(Duration timeout) {
      this.signInTimeout = Objects.requireNonNull(timeout, "signInTimeout");
      return this;
    }

    /** Closes a connection after this many refused sign-ins; default 3. */
    public Builder maxSignInAttempts(int attempts) {
      this.maxSignInAttempts = attempts;
      return this;
    }

    /** The sync page size for a request of 0 (default 50) and the largest allowed (default 500). */
    public Builder syncLimits(int defaultLimit, int maxLimit) {
      this.syncDefaultLimit = defaultLimit;
      this.syncMaxLimit = maxLimit;
      return this;
    }

    /** How long a (device, client_msg_id) is remembered; default 24 hours. */
    public Builder dedupeWindow(Duration window) {
      this.dedupeWindow = Objects.requireNonNull(window, "dedupeWindow");
      return this;
    }

    /** Outbound buffer water marks per connection; default 512 KiB and 1 MiB. */
    public Builder writeBufferWaterMarks(int low, int high) {
      this.lowWaterMark = low;
      this.highWaterMark = high;
      return this;
    }

    /** Unsent bytes past which a connection is closed at once; default 4 MiB. */
    public Builder maxPendingOutboundBytes(int bytes) {
      this.maxPendingOutboundBytes = bytes;
      return this;
    }

    /** A connection unwritable for this long is closed; default 10 seconds. */
    public Builder unwritableTimeout(Duration timeout) {
      this.unwritableTimeout = Objects.requireNonNull(timeout, "unwritableTimeout");
      return this;
    }

    /** How long a presence route lives without a heartbeat; default read-idle timeout + 1 min. */
    public Builder presenceTtl(Duration ttl) {
      this.presenceTtl = Objects.requireNonNull(ttl, "presenceTtl");
      return this;
    }

    /**
     * How long this node counts as alive in a shared presence registry (Redis) without a node
     * heartbeat; default 30 seconds, with a heartbeat every third of it. Once it lapses (a frozen
     * or cut-off node), other nodes stop routing to it before its routes expire, and the node
     * registers its connections again when its heartbeats get through.
     */
    public Builder nodeTtl(Duration ttl) {
      this.nodeTtl = Objects.requireNonNull(ttl, "nodeTtl");
      return this;
    }

    /** Network threads; default 0, the transport's choice (Netty: one event loop per core). */
    public Builder ioThreads(int threads) {
      this.ioThreads = threads;
      return this;
    }

    /**
     * Requests of one connection handled at once; default 256. Past it the server stops reading
     * that connection until replies drain, so a client that pipelines is slowed, not refused, and
     * cannot take more than its share of a shared store.
     */
    public Builder maxRequestsInFlight(int requests) {
      this.maxRequestsInFlight = requests;
      return this;
    }

    /**
     * Client syncs and acks of all connections in the stores at once; default 64. Past it, they
     * wait in the engine and connections take turns, so one client pipelining hundreds of syncs
     * cannot queue them all ahead of everyone else's in a shared store. Host API calls do not
     * count. Set it near what the stores can work on in parallel (a few times a JDBC pool). Sends
     * have their own budget, {@link #maxStoreSendsInFlight}.
     */
    public Builder maxStoreRequestsInFlight(int requests) {
      this.maxStoreRequestsInFlight = requests;
      return this;
    }

    /**
     * Client sends of all connections in the stores at once, each until its append is stored;
     * default 1,024. Past it, sends wait in the engine and connections take turns, as for {@link
     * #maxStoreRequestsInFlight}. The budget is larger because a store that commits appends in
     * groups (JDBC) takes every waiting append into one commit: this budget caps how many a commit
     * serves, so it caps a node's persisted send rate (64 gave about a fifth of what MariaDB
     * reached at 1,024 in the chat benchmark). Lower it to bound the memory of sends held for the
     * store (each holds its message until stored) or the wait of a send behind a full commit.
     */
    public Builder maxStoreSendsInFlight(int sends) {
      this.maxStoreSendsInFlight = sends;
      return this;
    }

    /**
     * Validates the settings (see {@link ServerConfig}) and builds a server, not yet started.
     *
     * @throws IllegalStateException without an {@link AuthProvider}
     * @throws IllegalArgumentException naming the first bad setting
     */
    public GimServer build() {
      if (auth == null) {
        throw new IllegalStateException("auth: not set (expected: an AuthProvider)");
      }
      Duration ttl = presenceTtl != null ? presenceTtl : readIdleTimeout.plusMinutes(1);
      ServerConfig config =
          new ServerConfig(
              nodeId != null ? nodeId : UUID.randomUUID().toString(),
              listens,
              maxFrameBytes,
              readIdleTimeout,
              signInTimeout,
              maxSignInAttempts,
              syncDefaultLimit,
              syncMaxLimit,
              dedupeWindow,
              lowWaterMark,
              highWaterMark,
              maxPendingOutboundBytes,
              unwritableTimeout,
              ttl,
              nodeTtl,
              ioThreads,
              maxRequestsInFlight,
              maxStoreRequestsInFlight,
              maxStoreSendsInFlight);
      return new GimServer(this, config);
    }

    private TransportFactory transportFactory() {
      if (transport != null) {
        return transport;
      }
      return ServiceLoader.load(TransportFactory.class, GimServer.class.getClassLoader())
          .findFirst()
          .orElseThrow(
              () ->
                  new IllegalStateException(
                      "no transport: add io.gim:gim-transport-netty to the classpath or call"
                          + " transport(...)"));
    }
  }
}
