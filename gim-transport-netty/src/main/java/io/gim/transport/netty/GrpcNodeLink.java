package io.gim.transport.netty;

import io.gim.spi.DeviceKey;
import io.gim.spi.GimErrorCode;
import io.gim.spi.GimException;
import io.gim.spi.cluster.NodeLink;
import io.gim.transport.netty.internal.ConnectIntWire;
import io.gim.transport.netty.internal.LinkMeters;
import io.gim.transport.netty.internal.NodeGate;
import io.gim.transport.netty.internal.NodePeer;
import io.gim.transport.netty.internal.PushBatcher;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.NettyServerBuilder;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * The gRPC {@link NodeLink}: calls {@code connect.ConnectIntService} ({@code PushToDevices}, {@code
 * KickDevice}) on other nodes and serves it for them, over plaintext HTTP/2 on this module's Netty.
 *
 * <p>Thread-safe. No method blocks except {@link #serve} (binds the port on the calling thread) and
 * {@link #close} (waits, bounded, for calls in flight). Each remote node gets one channel, created
 * on its first call, a deadline on every call, a limit of calls in flight (past it, calls fail at
 * once with {@link GimErrorCode#BUSY}) and a circuit breaker: after a few consecutive failures to
 * reach it, calls fail at once with {@link GimErrorCode#STORE_UNAVAILABLE} for a cool-down, then
 * one trial call goes through. So a slow or dead node never delays the calls to other nodes.
 * Returned stages fail only with a {@link GimException}; they complete on the link's IO threads, so
 * what the caller chains to them without an executor must not block.
 *
 * <p>A node id is the {@code host:port} its link listens on, by default:
 *
 * <pre>{@code
 * GrpcNodeLink link = GrpcNodeLink.builder().listen("10.0.0.5", 7001).build();
 * link.serve(receiver).toCompletableFuture().join();
 * GimServer.Builder server = GimServer.builder().nodeId(link.advertisedNodeId());
 * }</pre>
 *
 * <p>The link creates its own IO threads ({@code gim-link-io-*}) and handler threads ({@code
 * gim-link-serve-*}) and releases them in {@link #close}.
 */
public final class GrpcNodeLink implements NodeLink {
  private static final int IO_THREADS = 2;
  private static final int SERVE_THREADS = 2;

  private final String listenHost;
  private final int listenPort;
  private final String advertisedHost;
  private final Function<String, InetSocketAddress> resolver;
  private final long deadlineMillis;
  private final int maxCallsInFlightPerNode;
  private final int maxQueuedPushesPerNode;
  private final int breakerFailures;
  private final long breakerCoolDownMillis;
  private final LinkMeters meters;

  private final EventLoopGroup io;
  private final Class<? extends ServerChannel> serverChannelType;
  private final Class<? extends io.netty.channel.Channel> channelType;
  private final ConcurrentHashMap<String, NodePeer> peers = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, PushBatcher> batchers = new ConcurrentHashMap<>();

  /** Push calls in flight per node; pushes arriving meanwhile leave together in the next call. */
  static final int PUSH_WINDOW = 4;

  /** Message bytes per push call at most (well under gRPC's 4 MiB message limit). */
  static final int MAX_BATCH_BYTES = 1 << 20;

  private final AtomicBoolean serving = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile Server server;
  private volatile InetSocketAddress bound; // kept: a closed server no longer reports it
  private volatile ExecutorService serveExecutor;

  private GrpcNodeLink(Builder b) {
    this.listenHost = b.listenHost;
    this.listenPort = b.listenPort;
    this.advertisedHost = b.advertisedHost;
    this.resolver = b.resolver;
    this.deadlineMillis = b.deadline.toMillis();
    this.maxCallsInFlightPerNode = b.maxCallsInFlightPerNode;
    this.maxQueuedPushesPerNode = b.maxQueuedPushesPerNode;
    this.breakerFailures = b.breakerFailures;
    this.breakerCoolDownMillis = b.breakerCoolDown.toMillis();
    this.meters = LinkMeters.of(b.meterRegistry);
    boolean epoll = Epoll.isAvailable();
    IoHandlerFactory handlers = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    this.serverChannelType = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    this.channelType = epoll ? EpollSocketChannel.class : NioSocketChannel.class;
    this.io =
        new MultiThreadIoEventLoopGroup(
            IO_THREADS, new DefaultThreadFactory("gim-link-io"), handlers);
  }

  /** A builder with the defaults: listen on 127.0.0.1, any free port. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The default resolver: the node id is {@code host:port} ({@code [v6]:port} for IPv6). An IP
   * literal is used as is; a host name is looked up once, on the thread of the first call to that
   * node, so prefer IP literals (as {@link #advertisedNodeId()} gives) or a resolver of your own.
   *
   * @throws IllegalArgumentException if the node id is not {@code host:port}
   */
  public static InetSocketAddress hostAndPort(String nodeId) {
    int colon = nodeId.lastIndexOf(':');
    if (colon <= 0 || colon == nodeId.length() - 1) {
      throw new IllegalArgumentException("nodeId: " + nodeId + " (expected: host:port)");
    }
    String host = nodeId.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port;
    try {
      port = Integer.parseInt(nodeId.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("nodeId: " + nodeId + " (expected: host:port)", e);
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("nodeId: " + nodeId + " (expected: port in 1..65535)");
    }
    return new InetSocketAddress(host, port);
  }

  @Override
  public CompletionStage<Void> deliver(String nodeId, List<DeviceMessage> messages) {
    return meters.time("deliver", deliverTo(nodeId, messages));
  }

  private CompletionStage<Void> deliverTo(String nodeId, List<DeviceMessage> messages) {
    Objects.requireNonNull(nodeId, "nodeId");
    Objects.requireNonNull(messages, "messages");
    if (messages.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    NodePeer peer;
    try {
      peer = peer(nodeId);
    } catch (RuntimeException e) {
      return failed(e);
    }
    // Coalesced per node: a few calls in flight, the pushes arriving meanwhile go as one batch.
    return batchers
        .computeIfAbsent(
            nodeId,
            n ->
                new PushBatcher(
                    Math.min(PUSH_WINDOW, maxCallsInFlightPerNode),
                    maxQueuedPushesPerNode,
                    MAX_BATCH_BYTES,
                    batch -> {
                      try {
                        return peer.call(
                            ConnectIntWire.PUSH_TO_DEVICES, ConnectIntWire.pushRequest(batch));
                      } catch (IOException | RuntimeException e) {
                        return failed(e).toCompletableFuture();
                      }
                    }))
        .deliver(messages);
  }

  @Override
  public CompletionStage<Void> kick(String nodeId, DeviceKey device, long connectionId) {
    return meters.time("kick", kickOn(nodeId, device, connectionId));
  }

  private CompletionStage<Void> kickOn(String nodeId, DeviceKey device, long connectionId) {
    Objects.requireNonNull(nodeId, "nodeId");
    Objects.requireNonNull(device, "device");
    NodePeer peer;
    try {
      peer = peer(nodeId);
    } catch (RuntimeException e) {
      return failed(e);
    }
    return peer.call(ConnectIntWire.KICK_DEVICE, ConnectIntWire.kickRequest(device, connectionId));
  }

  /**
   * Binds the listen address and hands the calls of other nodes to {@code receiver}. The receiver
   * runs on the link's small handler pool, not on its IO threads: the engine's receiver does not
   * block, but one that did would otherwise stall this node's outgoing calls too. It should still
   * not block, since a blocked pool holds up every incoming call.
   */
  @Override
  public CompletionStage<Void> serve(Receiver receiver) {
    Objects.requireNonNull(receiver, "receiver");
    if (closed.get()) {
      return failed(new IllegalStateException("node link closed"));
    }
    if (!serving.compareAndSet(false, true)) {
      return failed(new IllegalStateException("serve: already called"));
    }
    ExecutorService executor =
        Executors.newFixedThreadPool(SERVE_THREADS, new DefaultThreadFactory("gim-link-serve"));
    Server s =
        NettyServerBuilder.forAddress(new InetSocketAddress(listenHost, listenPort))
            .bossEventLoopGroup(io)
            .workerEventLoopGroup(io)
            .channelType(serverChannelType)
            .executor(executor)
            .addService(ConnectIntWire.service(receiver))
            .build();
    serveExecutor = executor;
    try {
      s.start();
    } catch (IOException | RuntimeException e) {
      executor.shutdownNow();
      return CompletableFuture.failedFuture(
          new GimException(
              GimErrorCode.INTERNAL,
              "node link: cannot listen on " + listenHost + ":" + listenPort,
              e));
    }
    bound = (InetSocketAddress) s.getListenSockets().get(0);
    server = s;
    if (closed.get()) {
      // close() ran while binding and did not see the server.
      s.shutdownNow();
      executor.shutdownNow();
      return failed(new IllegalStateException("node link closed"));
    }
    return CompletableFuture.completedFuture(null);
  }

  /** The port the link listens on. */
  public int port() {
    return boundAddress().getPort();
  }

  /**
   * The node id under which other nodes reach this link with the default resolver: the advertised
   * host (or else the bound IP address) and the bound port, e.g. {@code 10.0.0.5:7001}.
   *
   * @throws IllegalStateException before {@link #serve}
   */
  public String advertisedNodeId() {
    InetSocketAddress bound = boundAddress();
    String host;
    if (advertisedHost != null) {
      host = advertisedHost;
    } else {
      host = bound.getAddress().getHostAddress();
    }
    boolean v6 = host.indexOf(':') >= 0;
    return (v6 ? "[" + host + "]" : host) + ":" + bound.getPort();
  }

  private InetSocketAddress boundAddress() {
    InetSocketAddress b = bound;
    if (b == null) {
      throw new IllegalStateException("not serving (call serve first)");
    }
    return b;
  }

  /**
   * Stops serving, shuts every channel down and releases the threads, waiting for calls in flight
   * up to the call deadline; idempotent.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    Server s = server;
    if (s != null) {
      s.shutdown();
    }
    List<ManagedChannel> channels = new ArrayList<>();
    peers.values().forEach(p -> channels.addAll(p.close()));
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(deadlineMillis + 1000);
    boolean interrupted = false;
    try {
      if (s != null && !s.awaitTermination(remaining(deadline), TimeUnit.NANOSECONDS)) {
        s.shutdownNow();
      }
      for (ManagedChannel ch : channels) {
        if (!ch.awaitTermination(remaining(deadline), TimeUnit.NANOSECONDS)) {
          ch.shutdownNow();
        }
      }
    } catch (InterruptedException e) {
      interrupted = true;
      if (s != null) {
        s.shutdownNow();
      }
      channels.forEach(ManagedChannel::shutdownNow);
    }
    ExecutorService executor = serveExecutor;
    if (executor != null) {
      executor.shutdownNow();
    }
    // Quiet period 0: nothing of ours is left on the loops by now.
    if (!io.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(2, TimeUnit.SECONDS)) {
      interrupted |= Thread.interrupted();
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private static long remaining(long deadlineNanos) {
    return Math.max(0, deadlineNanos - System.nanoTime());
  }

  private NodePeer peer(String nodeId) {
    if (closed.get()) {
      throw new IllegalStateException("node link closed");
    }
    return peers.computeIfAbsent(
        nodeId,
        id ->
            new NodePeer(
                id,
                Objects.requireNonNull(resolver.apply(id), "resolver returned null for " + id),
                this::newChannel,
                NodeGate.of(maxCallsInFlightPerNode, breakerFailures, breakerCoolDownMillis),
                deadlineMillis));
  }

  private ManagedChannel newChannel(InetSocketAddress address) {
    // directExecutor: the only work on completion is to complete the caller's future.
    return NettyChannelBuilder.forAddress(address)
        .eventLoopGroup(io)
        .channelType(channelType)
        .usePlaintext()
        .directExecutor()
        .build();
  }

  private static CompletableFuture<Void> failed(Throwable cause) {
    GimException e =
        cause instanceof GimException g
            ? g
            : new GimException(GimErrorCode.INTERNAL, "node link: " + cause.getMessage(), cause);
    return CompletableFuture.failedFuture(e);
  }

  /** Calls sent to {@code nodeId} (those refused by its gate not counted); for tests. */
  long callsSent(String nodeId) {
    NodePeer p = peers.get(nodeId);
    return p == null ? 0 : p.callsSent();
  }

  /** The breaker state of {@code nodeId}; for tests. */
  NodeGate.BreakerState breakerState(String nodeId) {
    NodePeer p = peers.get(nodeId);
    return p == null ? NodeGate.BreakerState.CLOSED : p.gate().breakerState();
  }

  /** Configures a {@link GrpcNodeLink}; {@link #build()} validates. Not thread-safe. */
  public static final class Builder {
    private String listenHost = "127.0.0.1";
    private int listenPort;
    private String advertisedHost;
    private Function<String, InetSocketAddress> resolver = GrpcNodeLink::hostAndPort;
    private Duration deadline = Duration.ofSeconds(2);
    private int maxCallsInFlightPerNode = 64;
    private int maxQueuedPushesPerNode = 65_536;
    private int breakerFailures = 3;
    private Duration breakerCoolDown = Duration.ofSeconds(1);
    private MeterRegistry meterRegistry;

    private Builder() {}

    /**
     * Where to register {@code gim.link.calls} (a timer per call kind and outcome: ok, busy,
     * unavailable, error); default none.
     */
    public Builder meterRegistry(MeterRegistry registry) {
      this.meterRegistry = Objects.requireNonNull(registry, "registry");
      return this;
    }

    /** The address to take other nodes' calls on; port 0 picks a free port. Default 127.0.0.1:0. */
    public Builder listen(String host, int port) {
      this.listenHost = Objects.requireNonNull(host, "host");
      this.listenPort = port;
      return this;
    }

    /**
     * The host other nodes reach this one by, in {@link #advertisedNodeId()}; required when
     * listening on a wildcard address. Default: the bound address.
     */
    public Builder advertisedHost(String host) {
      this.advertisedHost = Objects.requireNonNull(host, "host");
      return this;
    }

    /**
     * How a node id becomes an address; called once per node, on the thread of its first call, so
     * it should not block. Default {@link GrpcNodeLink#hostAndPort(String)}.
     */
    public Builder resolver(Function<String, InetSocketAddress> resolver) {
      this.resolver = Objects.requireNonNull(resolver, "resolver");
      return this;
    }

    /** How long a call may take before it fails. Default 2 s. */
    public Builder deadline(Duration deadline) {
      this.deadline = Objects.requireNonNull(deadline, "deadline");
      return this;
    }

    /**
     * Device messages that may wait for one node while its push calls are in flight (at most 4, or
     * {@link #maxCallsInFlightPerNode} if lower); they leave together in the next call. Past it,
     * pushes fail with 10302 (the messages are stored; devices sync them). Default 65,536.
     */
    public Builder maxQueuedPushesPerNode(int max) {
      if (max < 0) {
        throw new IllegalArgumentException("maxQueuedPushesPerNode: " + max + " (expected: >= 0)");
      }
      this.maxQueuedPushesPerNode = max;
      return this;
    }

    /** Calls in flight to one node before further calls fail with {@code BUSY}. Default 64. */
    public Builder maxCallsInFlightPerNode(int max) {
      this.maxCallsInFlightPerNode = max;
      return this;
    }

    /**
     * After {@code consecutiveFailures} calls in a row fail to reach a node, its calls fail at once
     * for {@code coolDown}, then one trial call goes through. Default 3 and 1 s.
     */
    public Builder breaker(int consecutiveFailures, Duration coolDown) {
      this.breakerFailures = consecutiveFailures;
      this.breakerCoolDown = Objects.requireNonNull(coolDown, "coolDown");
      return this;
    }

    /**
     * A link with this configuration; it owns IO threads from now on, so {@link #close()} it.
     *
     * @throws IllegalArgumentException if a setting is out of range
     */
    public GrpcNodeLink build() {
      if (listenPort < 0 || listenPort > 65535) {
        throw new IllegalArgumentException("port: " + listenPort + " (expected: 0..65535)");
      }
      if (advertisedHost == null && isWildcard(listenHost)) {
        throw new IllegalArgumentException(
            "advertisedHost: required when listening on " + listenHost);
      }
      if (deadline.toMillis() <= 0) {
        throw new IllegalArgumentException("deadline: " + deadline + " (expected: >= 1 ms)");
      }
      if (maxCallsInFlightPerNode <= 0) {
        throw new IllegalArgumentException(
            "maxCallsInFlightPerNode: " + maxCallsInFlightPerNode + " (expected: > 0)");
      }
      if (breakerFailures <= 0) {
        throw new IllegalArgumentException(
            "breaker consecutiveFailures: " + breakerFailures + " (expected: > 0)");
      }
      if (breakerCoolDown.isNegative()) {
        throw new IllegalArgumentException(
            "breaker coolDown: " + breakerCoolDown + " (expected: >= 0)");
      }
      return new GrpcNodeLink(this);
    }

    private static boolean isWildcard(String host) {
      return host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]") || host.isEmpty();
    }
  }
}
