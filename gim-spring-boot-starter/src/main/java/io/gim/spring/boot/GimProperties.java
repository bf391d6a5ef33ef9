package io.gim.spring.boot;

import io.gim.core.GimServer;
import io.gim.core.ListenSpec;
import io.gim.core.ServerConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The {@code gim.*} properties the starter builds its {@link io.gim.core.GimServer} from. Each
 * limit is named after the {@link io.gim.core.GimServer.Builder} method it sets, and its default is
 * the builder's.
 *
 * <p>Immutable and thread-safe. Binding validates everything, with the same rules as {@link
 * ServerConfig}: a bad value fails the application's start with a message naming the property, e.g.
 * {@code gim.tcp.port: -1 (expected: 0-65535)}.
 *
 * @param enabled whether the starter creates a server at all (default true)
 * @param nodeId this node's name in the presence registry (default: a random UUID per start)
 * @param tcp the TCP listener
 * @param websocket the WebSocket listener
 * @param store where messages, groups and devices live
 * @param limits per-connection and per-node limits
 * @param presenceTtl how long a presence route lives without a heartbeat (default: the read-idle
 *     timeout plus one minute)
 * @param nodeTtl how long this node counts as alive in a shared presence registry without a node
 *     heartbeat
 * @param ioThreads network threads; 0 lets the transport choose (Netty: one per core)
 */
@ConfigurationProperties("gim")
public record GimProperties(
    @DefaultValue("true") boolean enabled,
    String nodeId,
    @DefaultValue Tcp tcp,
    @DefaultValue WebSocket websocket,
    @DefaultValue Store store,
    @DefaultValue Limits limits,
    Duration presenceTtl,
    @DefaultValue("30s") Duration nodeTtl,
    @DefaultValue("0") int ioThreads) {

  // ServerConfig components that are not under gim.limits.
  private static final Set<String> TOP_LEVEL =
      Set.of("nodeId", "presenceTtl", "nodeTtl", "ioThreads");

  /**
   * Validates the properties together, as the server will.
   *
   * @throws IllegalArgumentException naming the first bad property and what it expects
   */
  public GimProperties {
    if (nodeId != null && nodeId.isBlank()) {
      throw new IllegalArgumentException("gim.node-id: blank (expected: a name, or unset)");
    }
    if (enabled) {
      try {
        serverConfig(limits, presenceTtl, nodeTtl, ioThreads);
      } catch (IllegalArgumentException | NullPointerException e) {
        // No cause: the message is the whole story, and start-up reports show the root cause.
        throw new IllegalArgumentException(propertyNames(String.valueOf(e.getMessage())));
      }
    }
  }

  /** Sets every property on {@code builder}; the listeners too. */
  void applyTo(GimServer.Builder builder) {
    if (nodeId != null) {
      builder.nodeId(nodeId);
    }
    for (ListenSpec l : listens()) {
      if (l.kind() == ListenSpec.Kind.TCP) {
        builder.tcp(l.host(), l.port());
      } else {
        builder.websocket(l.host(), l.port(), l.path());
      }
    }
    builder
        .maxFrameBytes((int) limits.maxFrameBytes().toBytes())
        .readIdleTimeout(limits.readIdleTimeout())
        .signInTimeout(limits.signInTimeout())
        .maxSignInAttempts(limits.maxSignInAttempts())
        .syncLimits(limits.syncDefaultLimit(), limits.syncMaxLimit())
        .dedupeWindow(limits.dedupeWindow())
        .writeBufferWaterMarks(
            (int) limits.writeBufferLowWaterMark().toBytes(),
            (int) limits.writeBufferHighWaterMark().toBytes())
        .maxPendingOutboundBytes((int) limits.maxPendingOutboundBytes().toBytes())
        .unwritableTimeout(limits.unwritableTimeout())
        .nodeTtl(nodeTtl)
        .ioThreads(ioThreads)
        .maxRequestsInFlight(limits.maxRequestsInFlight())
        .maxStoreRequestsInFlight(limits.maxStoreRequestsInFlight())
        .maxStoreSendsInFlight(limits.maxStoreSendsInFlight());
    if (presenceTtl != null) {
      builder.presenceTtl(presenceTtl);
    }
  }

  /** The listeners to open: TCP and WebSocket, where enabled. */
  List<ListenSpec> listens() {
    List<ListenSpec> listens = new ArrayList<>();
    if (tcp.enabled()) {
      listens.add(new ListenSpec(ListenSpec.Kind.TCP, tcp.host(), tcp.port(), ""));
    }
    if (websocket.enabled()) {
      listens.add(
          new ListenSpec(
              ListenSpec.Kind.WEBSOCKET, websocket.host(), websocket.port(), websocket.path()));
    }
    return listens;
  }

  // Only checks: the server is made by its builder, which builds the same record again.
  private static void serverConfig(
      Limits limits, Duration presenceTtl, Duration nodeTtl, int ioThreads) {
    new ServerConfig(
        "validation",
        List.of(),
        (int) limits.maxFrameBytes().toBytes(),
        limits.readIdleTimeout(),
        limits.signInTimeout(),
        limits.maxSignInAttempts(),
        limits.syncDefaultLimit(),
        limits.syncMaxLimit(),
        limits.dedupeWindow(),
        (int) limits.writeBufferLowWaterMark().toBytes(),
        (int) limits.writeBufferHighWaterMark().toBytes(),
        (int) limits.maxPendingOutboundBytes().toBytes(),
        limits.unwritableTimeout(),
        presenceTtl != null
            ? presenceTtl
            : limits.readIdleTimeout() == null ? null : limits.readIdleTimeout().plusMinutes(1),
        nodeTtl,
        ioThreads,
        limits.maxRequestsInFlight(),
        limits.maxStoreRequestsInFlight(),
        limits.maxStoreSendsInFlight());
  }

  /**
   * Turns ServerConfig's {@code maxFrameBytes: 0 (...)} into {@code gim.limits.max-frame-bytes: 0
   * (...)}.
   */
  static String propertyNames(String message) {
    int colon = message.indexOf(':');
    String component = colon > 0 ? message.substring(0, colon) : message;
    if (!component.matches("[a-z][A-Za-z]*")) {
      return message;
    }
    String kebab = component.replaceAll("([A-Z])", "-$1").toLowerCase(Locale.ROOT);
    String property = (TOP_LEVEL.contains(component) ? "gim." : "gim.limits.") + kebab;
    return property + message.substring(component.length());
  }

  private static void checkPort(String property, int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException(property + ": " + port + " (expected: 0-65535)");
    }
  }

  private static void checkHost(String property, String host) {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException(
          property + ": blank (expected: an address, e.g. 0.0.0.0 or 127.0.0.1)");
    }
  }

  private static int checkBytes(String property, DataSize size) {
    if (size == null) {
      throw new IllegalArgumentException(property + ": not set (expected: a size, e.g. 1MB)");
    }
    if (size.toBytes() > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(property + ": " + size + " (expected: < 2GB)");
    }
    return (int) size.toBytes();
  }

  /**
   * The TCP listener: length-prefixed protobuf frames, GIM's port 8001.
   *
   * @param enabled whether to listen for TCP (default true)
   * @param host the address to bind (default 0.0.0.0, every interface: clients come from the
   *     network; set 127.0.0.1 to accept only local connections, e.g. behind a proxy)
   * @param port the port (default 8001); 0 picks a free one, published as {@code
   *     local.gim.tcp.port}
   */
  public record Tcp(
      @DefaultValue("true") boolean enabled,
      @DefaultValue("0.0.0.0") String host,
      @DefaultValue("8001") int port) {
    /** Validates the listener. */
    public Tcp {
      checkHost("gim.tcp.host", host);
      checkPort("gim.tcp.port", port);
    }
  }

  /**
   * The WebSocket listener: one binary message per packet.
   *
   * @param enabled whether to listen for WebSocket upgrades (default false)
   * @param host the address to bind (default 0.0.0.0, every interface)
   * @param port the port (default 8002); 0 picks a free one, published as {@code
   *     local.gim.websocket.port}
   * @param path the upgrade path (default /ws)
   */
  public record WebSocket(
      @DefaultValue("false") boolean enabled,
      @DefaultValue("0.0.0.0") String host,
      @DefaultValue("8002") int port,
      @DefaultValue("/ws") String path) {
    /** Validates the listener. */
    public WebSocket {
      checkHost("gim.websocket.host", host);
      checkPort("gim.websocket.port", port);
      if (path == null || !path.startsWith("/")) {
        throw new IllegalArgumentException(
            "gim.websocket.path: '" + path + "' (expected: starts with '/', e.g. /ws)");
      }
    }
  }

  /**
   * Where messages, groups and devices live. Ignored when the application defines its own {@link
   * io.gim.spi.Stores} bean.
   *
   * @param type memory (default; lost on restart), jdbc (the application's DataSource) or redis
   * @param jdbc options of {@code type=jdbc}
   * @param redis options of {@code type=redis}
   */
  public record Store(
      @DefaultValue("memory") StoreType type, @DefaultValue Jdbc jdbc, @DefaultValue Redis redis) {
    /** Validates the store choice. */
    public Store {
      if (type == null) {
        throw new IllegalArgumentException(
            "gim.store.type: not set (expected: memory, jdbc or redis)");
      }
      if (type == StoreType.REDIS && (redis.uri() == null || redis.uri().isBlank())) {
        throw new IllegalArgumentException(
            "gim.store.redis.uri: not set (expected: redis://host:port or"
                + " redis-cluster://host:port,host:port when gim.store.type=redis)");
      }
    }
  }

  /** The kinds of store the starter can make. */
  public enum StoreType {
    /** Everything in the heap; gone on restart. */
    MEMORY,
    /** The application's {@code DataSource} (needs io.gim:gim-store-jdbc). */
    JDBC,
    /** A Redis server or cluster (needs io.gim:gim-store-redis). */
    REDIS
  }

  /**
   * Options of the JDBC store on the application's {@code DataSource}, which stays the
   * application's: the store never closes it.
   *
   * @param migrate whether to apply GIM's schema migrations on start (default true; history table
   *     gim_schema_history); false when DBAs apply {@code db/gim/<dialect>/V*.sql}
   */
  public record Jdbc(@DefaultValue("true") boolean migrate) {}

  /**
   * Options of the Redis store, which also carries presence and the room bus.
   *
   * @param uri redis://host:port (rediss:// for TLS) or redis-cluster://host:port,host:port
   * @param prefix the prefix of every key (default gim:)
   * @param timeout the deadline of every Redis call (default 2s)
   */
  public record Redis(
      String uri, @DefaultValue("gim:") String prefix, @DefaultValue("2s") Duration timeout) {}

  /**
   * Per-connection and per-node limits; docs/operations.md says what happens at each.
   *
   * @param maxFrameBytes the largest frame accepted (default 1MB, at least 4KB)
   * @param readIdleTimeout a connection that sends nothing for this long is closed (default 12m)
   * @param signInTimeout a connection not signed in after this long is closed (default 30s)
   * @param maxSignInAttempts refused sign-ins after which the connection is closed (default 3)
   * @param syncDefaultLimit the page size of a sync that asks for 0 (default 50)
   * @param syncMaxLimit the largest page a sync may get (default 500)
   * @param dedupeWindow how long a (device, client_msg_id) pair is remembered (default 24h)
   * @param writeBufferLowWaterMark outbound bytes below which a connection is writable again
   *     (default 512KB)
   * @param writeBufferHighWaterMark outbound bytes above which a connection is unwritable (default
   *     1MB)
   * @param maxPendingOutboundBytes unsent bytes past which a connection is closed (default 4MB)
   * @param unwritableTimeout a connection unwritable for this long is closed (default 10s)
   * @param maxRequestsInFlight requests of one connection handled at once (default 256)
   * @param maxStoreRequestsInFlight client syncs and acks of all connections in the stores at once
   *     (default 64)
   * @param maxStoreSendsInFlight client sends of all connections in the stores at once, each until
   *     stored (default 1024)
   */
  public record Limits(
      @DefaultValue("1MB") DataSize maxFrameBytes,
      @DefaultValue("12m") Duration readIdleTimeout,
      @DefaultValue("30s") Duration signInTimeout,
      @DefaultValue("3") int maxSignInAttempts,
      @DefaultValue("50") int syncDefaultLimit,
      @DefaultValue("500") int syncMaxLimit,
      @DefaultValue("24h") Duration dedupeWindow,
      @DefaultValue("512KB") DataSize writeBufferLowWaterMark,
      @DefaultValue("1MB") DataSize writeBufferHighWaterMark,
      @DefaultValue("4MB") DataSize maxPendingOutboundBytes,
      @DefaultValue("10s") Duration unwritableTimeout,
      @DefaultValue("256") int maxRequestsInFlight,
      @DefaultValue("64") int maxStoreRequestsInFlight,
      @DefaultValue("1024") int maxStoreSendsInFlight) {

    /** Validates the sizes, which must fit an int; the rest is checked with the whole. */
    public Limits {
      checkBytes("gim.limits.max-frame-bytes", maxFrameBytes);
      checkBytes("gim.limits.write-buffer-low-water-mark", writeBufferLowWaterMark);
      checkBytes("gim.limits.write-buffer-high-water-mark", writeBufferHighWaterMark);
      checkBytes("gim.limits.max-pending-outbound-bytes", maxPendingOutboundBytes);
    }
  }
}
