package io.gim.grpc;

import io.gim.core.GimServer;
import io.gim.spi.AuthProvider;
import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.NettyServerBuilder;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * GIM's logic gRPC services over an embedded {@link GimServer}, on two ports: the <em>external</em>
 * port serves {@code logic.MessageExtService} (end-user clients, authenticated per call by {@link
 * ExtAuth} with metadata {@code user_id}, {@code device_id}, {@code token}); the <em>internal</em>
 * port serves {@code MessageIntService}, {@code GroupIntService}, {@code RoomIntService} and {@code
 * DeviceIntService} (trusted backends, no authentication of their own). <strong>Never expose the
 * internal port publicly</strong>: bind it to a private address, and/or guard it with {@link
 * Builder#internalInterceptor} (a shared secret, an mTLS peer check). The addresses are the host's
 * choice; nothing is assumed.
 *
 * <pre>{@code
 * try (GimServer gim = GimServer.builder().auth(auth).tcp(8001).build();
 *     GrpcApi api = GrpcApi.builder(gim)
 *         .external(8101)                                 // MessageExtService, every interface
 *         .internal("10.0.0.5", 8102)                     // the Int services, private network
 *         .internalInterceptor(new SharedSecretCheck())   // optional guard for Int
 *         .addExternal(ExtAuth.except(auth, Set.of("business.UserExtService/SignIn"))
 *             .intercept(new MyUserExtService()))        // host services on the same ports
 *         .build()) {
 *   gim.start().join();
 *   api.start().join();
 *   gim.blockUntilShutdown();
 * }
 * }</pre>
 *
 * <p>A host that runs its own gRPC server skips the ports and registers {@link #externalServices()}
 * and {@link #internalServices()} there instead.
 *
 * <p>Thread-safe. {@link #start()} binds synchronously and returns a completed future; {@link
 * #close()} blocks (a few seconds at most) until the ports and threads are released, is idempotent,
 * and leaves the {@link GimServer} open: the host created it and closes it. Calls run on the API's
 * {@code gim-grpc-io} event loop (or the {@link Builder#executor} given) and never block: every
 * service answers when the engine's completion stage completes.
 */
public final class GrpcApi implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(GrpcApi.class);
  private static final int CLOSE_GRACE_SECONDS = 5;

  /** Which of the two ports. */
  public enum Side {
    /** End-user clients: Ext services, authenticated per call. */
    EXTERNAL,
    /** Trusted backends: Int services. */
    INTERNAL
  }

  private final Map<Side, InetSocketAddress> addresses;
  private final int maxInboundMessageBytes;
  private final List<ServerServiceDefinition> external;
  private final List<ServerServiceDefinition> internal;
  private final Map<Side, Server> servers = new EnumMap<>(Side.class);
  private final Map<Side, Integer> ports = new EnumMap<>(Side.class);
  private boolean started;
  private boolean closed;
  private EventLoopGroup loops;
  private final Executor callExecutor; // null: run calls on the event loop (directExecutor)

  private GrpcApi(Builder b) {
    this.addresses = new EnumMap<>(b.addresses);
    // Every GIM service and ExtAuth answer from completion stages and never block, so by default
    // a call runs on the gRPC event loop that read it: no hand-off to another thread and back.
    this.callExecutor = b.executor;
    this.maxInboundMessageBytes =
        b.maxInboundMessageBytes > 0 ? b.maxInboundMessageBytes : b.server.config().maxFrameBytes();
    AuthProvider auth = b.auth != null ? b.auth : b.server.auth();
    List<ServerServiceDefinition> ext = new ArrayList<>();
    ext.add(ExtAuth.of(auth).intercept(new MessageExtApi(b.server.inboxes())));
    ext.addAll(b.extraExternal);
    List<BindableService> ints =
        List.of(
            new MessageIntApi(b.server.messages()),
            new GroupIntApi(b.server.groups(), b.server.messages()),
            new RoomIntApi(b.server.messages(), b.server.devices()),
            new DeviceIntApi(b.server.devices(), b.server.auth()));
    List<ServerServiceDefinition> in = new ArrayList<>();
    ints.forEach(s -> in.add(s.bindService()));
    in.addAll(b.extraInternal);
    if (b.internalInterceptor != null) {
      in.replaceAll(s -> ServerInterceptors.intercept(s, b.internalInterceptor));
    }
    // Outermost, so that calls refused by ExtAuth or the host's interceptor are timed too.
    MeterRegistry registry =
        b.meterRegistry != null ? b.meterRegistry : b.server.meterRegistry().orElse(null);
    if (registry != null) {
      GrpcMeters meters = new GrpcMeters(registry);
      ext.replaceAll(s -> ServerInterceptors.intercept(s, meters));
      in.replaceAll(s -> ServerInterceptors.intercept(s, meters));
    }
    this.external = List.copyOf(ext);
    this.internal = List.copyOf(in);
  }

  /** A builder for the API of {@code server}; the server may be started before or after. */
  public static Builder builder(GimServer server) {
    return new Builder(server);
  }

  /**
   * The Ext services, each behind {@link ExtAuth}, then the host's {@link Builder#addExternal}
   * services as given; for a host that serves them from its own gRPC server.
   */
  public List<ServerServiceDefinition> externalServices() {
    return external;
  }

  /**
   * The Int services and the host's {@link Builder#addInternal} services, each behind the {@link
   * Builder#internalInterceptor} if one was set; for a host that serves them from its own gRPC
   * server (which must not be reachable from the public network).
   */
  public List<ServerServiceDefinition> internalServices() {
    return internal;
  }

  /**
   * Binds the configured ports and starts serving. The future is complete when this returns: failed
   * if a port cannot be bound (and then nothing stays bound), or if already started or closed.
   */
  public synchronized CompletableFuture<Void> start() {
    if (closed) {
      return CompletableFuture.failedFuture(new IllegalStateException("closed"));
    }
    if (started) {
      return CompletableFuture.failedFuture(new IllegalStateException("already started"));
    }
    started = true;
    if (addresses.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    loops =
        new MultiThreadIoEventLoopGroup(
            Runtime.getRuntime().availableProcessors(),
            new DefaultThreadFactory("gim-grpc-io", true),
            NioIoHandler.newFactory());
    for (Map.Entry<Side, InetSocketAddress> e : addresses.entrySet()) {
      NettyServerBuilder builder =
          NettyServerBuilder.forAddress(e.getValue())
              .bossEventLoopGroup(loops)
              .workerEventLoopGroup(loops)
              .channelType(NioServerSocketChannel.class)
              .maxInboundMessageSize(maxInboundMessageBytes)
              .addServices(e.getKey() == Side.EXTERNAL ? external : internal);
      Server s =
          (callExecutor != null ? builder.executor(callExecutor) : builder.directExecutor())
              .build();
      try {
        s.start();
      } catch (IOException | RuntimeException failure) {
        s.shutdownNow();
        release();
        return CompletableFuture.failedFuture(
            new IOException(
                "gRPC " + e.getKey().name().toLowerCase() + " port: cannot bind " + e.getValue(),
                failure));
      }
      servers.put(e.getKey(), s);
      ports.put(e.getKey(), ((InetSocketAddress) s.getListenSockets().get(0)).getPort());
      log.info("gRPC {} API listening on {}:{}", e.getKey(), e.getValue(), ports.get(e.getKey()));
    }
    return CompletableFuture.completedFuture(null);
  }

  /**
   * The bound port of a side; for port 0 in tests.
   *
   * @throws IllegalStateException before {@link #start()}, after {@link #close()}, or if that side
   *     was not configured
   */
  public synchronized int activePort(Side side) {
    Integer port = ports.get(Objects.requireNonNull(side, "side"));
    if (port == null || closed) {
      throw new IllegalStateException(
          "gRPC " + side.name().toLowerCase() + " port: not bound (configured and started?)");
    }
    return port;
  }

  /**
   * Stops both ports, lets calls in flight finish for up to {@value #CLOSE_GRACE_SECONDS} seconds,
   * then cancels the rest and releases the threads; idempotent. The {@link GimServer} stays open.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    release();
  }

  private void release() {
    servers.values().forEach(Server::shutdown);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(CLOSE_GRACE_SECONDS);
    boolean interrupted = false;
    for (Server s : servers.values()) {
      try {
        if (!s.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
          s.shutdownNow().awaitTermination(1, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        interrupted = true;
        s.shutdownNow();
      }
    }
    servers.clear();
    ports.clear();
    if (loops != null
        && !loops
            .shutdownGracefully(0, 1, TimeUnit.SECONDS)
            .awaitUninterruptibly(3, TimeUnit.SECONDS)) {
      log.warn("gRPC event loop did not stop within 3 s");
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Configures a {@link GrpcApi}. Not thread-safe. {@link #build()} validates every setting;
   * nothing is bound until {@link GrpcApi#start()}.
   */
  public static final class Builder {
    private final GimServer server;
    private final Map<Side, InetSocketAddress> addresses = new EnumMap<>(Side.class);
    private final Map<Side, String> hosts = new EnumMap<>(Side.class);
    private final Map<Side, Integer> portsSet = new EnumMap<>(Side.class);
    private final List<ServerServiceDefinition> extraExternal = new ArrayList<>();
    private final List<ServerServiceDefinition> extraInternal = new ArrayList<>();
    private AuthProvider auth;
    private ServerInterceptor internalInterceptor;
    private int maxInboundMessageBytes = -1;
    private MeterRegistry meterRegistry;
    private Executor executor;
    private boolean maxInboundSet;

    private Builder(GimServer server) {
      this.server = Objects.requireNonNull(server, "server");
    }

    /** Serves the Ext services on {@code port} of every interface; 0 picks a free port. */
    public Builder external(int port) {
      return external("0.0.0.0", port);
    }

    /** Serves the Ext services on one address, e.g. {@code ("127.0.0.1", 8101)}. */
    public Builder external(String host, int port) {
      hosts.put(Side.EXTERNAL, Objects.requireNonNull(host, "host"));
      portsSet.put(Side.EXTERNAL, port);
      return this;
    }

    /**
     * Serves the Int services on {@code port} of every interface; 0 picks a free port. Every
     * interface includes public ones: prefer {@link #internal(String, int)} with a private address,
     * or guard the port with {@link #internalInterceptor}.
     */
    public Builder internal(int port) {
      return internal("0.0.0.0", port);
    }

    /** Serves the Int services on one address, e.g. {@code ("127.0.0.1", 8102)}. */
    public Builder internal(String host, int port) {
      hosts.put(Side.INTERNAL, Objects.requireNonNull(host, "host"));
      portsSet.put(Side.INTERNAL, port);
      return this;
    }

    /**
     * Authenticates Ext calls with this provider; default the server's own ({@link
     * GimServer#auth()}), the one long-connection sign-ins use.
     */
    public Builder auth(AuthProvider auth) {
      this.auth = Objects.requireNonNull(auth, "auth");
      return this;
    }

    /**
     * A guard the host puts in front of every Int service (and every {@link #addInternal} one),
     * e.g. a shared-secret metadata check or an mTLS peer check; it ends the calls it refuses.
     */
    public Builder internalInterceptor(ServerInterceptor interceptor) {
      this.internalInterceptor = Objects.requireNonNull(interceptor, "internalInterceptor");
      return this;
    }

    /**
     * A host service served on the external port too, as given: wrap it with {@link ExtAuth} (e.g.
     * {@code ExtAuth.except(auth, Set.of("business.UserExtService/SignIn"))}) if its calls must be
     * authenticated.
     */
    public Builder addExternal(ServerServiceDefinition service) {
      extraExternal.add(Objects.requireNonNull(service, "service"));
      return this;
    }

    /** A host service served on the internal port too, behind the internal interceptor if any. */
    public Builder addInternal(ServerServiceDefinition service) {
      extraInternal.add(Objects.requireNonNull(service, "service"));
      return this;
    }

    /**
     * Where to register {@code gim.grpc.calls} (a timer per method, gRPC status and GIM code);
     * default the server's {@link GimServer.Builder#meterRegistry registry}, if it has one.
     */
    /**
     * Where calls run. Default: on the gRPC event loop thread that read them, which is right for
     * every GIM service (none blocks) and for host services that answer from completion stages. A
     * host that adds a service that blocks gives an executor here (the host's, left running on
     * {@link GrpcApi#close()}).
     */
    public Builder executor(Executor executor) {
      this.executor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    public Builder meterRegistry(MeterRegistry registry) {
      this.meterRegistry = Objects.requireNonNull(registry, "registry");
      return this;
    }

    /**
     * The largest request accepted, in bytes; default the server's {@code maxFrameBytes}. A larger
     * request ends with RESOURCE_EXHAUSTED before it reaches a service.
     */
    public Builder maxInboundMessageBytes(int bytes) {
      this.maxInboundMessageBytes = bytes;
      this.maxInboundSet = true;
      return this;
    }

    /**
     * Validates the settings and builds the API, not yet bound. No port at all is allowed: the
     * services are then for the host's own gRPC server ({@link GrpcApi#externalServices()}).
     *
     * @throws IllegalArgumentException naming the first bad setting
     */
    public GrpcApi build() {
      for (Side side : Side.values()) {
        Integer port = portsSet.get(side);
        if (port == null) {
          continue;
        }
        String name = side.name().toLowerCase();
        if (port < 0 || port > 65535) {
          throw new IllegalArgumentException(
              name + " port: " + port + " (expected: 0 to 65535, 0 for any free port)");
        }
        String host = hosts.get(side);
        if (host.isBlank()) {
          throw new IllegalArgumentException(name + " host: blank (expected: an address)");
        }
        addresses.put(side, new InetSocketAddress(host, port));
      }
      InetSocketAddress ext = addresses.get(Side.EXTERNAL);
      InetSocketAddress in = addresses.get(Side.INTERNAL);
      if (ext != null && in != null && ext.getPort() != 0 && ext.getPort() == in.getPort()) {
        throw new IllegalArgumentException(
            "internal port: "
                + in.getPort()
                + " (expected: not the external port: Int services must not be served to clients)");
      }
      if (maxInboundSet && maxInboundMessageBytes <= 0) {
        throw new IllegalArgumentException(
            "maxInboundMessageBytes: " + maxInboundMessageBytes + " (expected: > 0)");
      }
      return new GrpcApi(this);
    }
  }
}
