package io.gim.transport.netty.internal;

import io.gim.core.ListenSpec;
import io.gim.core.ServerConfig;
import io.gim.core.transport.Connection;
import io.gim.core.transport.ConnectionHandler;
import io.gim.core.transport.Transport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * TCP and WebSocket listeners on one boss thread and a pool of IO threads (epoll where available).
 * Owns its event loop groups and every channel it accepts; {@link #close()} releases all of them.
 */
public final class NettyTransport implements Transport {
  private static final AdaptiveRecvByteBufAllocator RECV_ALLOCATOR =
      new AdaptiveRecvByteBufAllocator();

  private final ServerConfig config;
  private final Function<Connection, ConnectionHandler> acceptor;
  private final ServerPipeline pipeline;
  private final EventLoopGroup boss;
  private final EventLoopGroup workers;
  private final Class<? extends ServerChannel> serverChannelType;
  private final ChannelGroup channels =
      new DefaultChannelGroup("gim", GlobalEventExecutor.INSTANCE);
  private final Map<ListenSpec.Kind, Integer> ports = new EnumMap<>(ListenSpec.Kind.class);
  private final AtomicBoolean closed = new AtomicBoolean();
  private final CompletableFuture<Void> closeFuture = new CompletableFuture<>();

  public NettyTransport(ServerConfig config, Function<Connection, ConnectionHandler> acceptor) {
    this.config = config;
    this.acceptor = acceptor;
    this.pipeline = new ServerPipeline(config, acceptor);
    boolean epoll = Epoll.isAvailable();
    IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    this.serverChannelType = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    this.boss = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("gim-boss"), io);
    // One event loop per core by default, not Netty's two: nothing on a loop blocks, and a room
    // fan-out hands work between loops, which costs a context switch when two share a core.
    int threads =
        config.ioThreads() > 0 ? config.ioThreads() : Runtime.getRuntime().availableProcessors();
    this.workers = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory("gim-io"), io);
  }

  @Override
  public CompletableFuture<Void> start() {
    List<CompletableFuture<Void>> binds = new ArrayList<>();
    for (ListenSpec spec : config.listens()) {
      CompletableFuture<Void> bound = new CompletableFuture<>();
      ChannelFuture f = bootstrap(spec).bind(spec.host(), spec.port());
      f.addListener(
          done -> {
            if (done.isSuccess()) {
              Channel server = f.channel();
              channels.add(server);
              synchronized (ports) {
                ports.putIfAbsent(
                    spec.kind(), ((java.net.InetSocketAddress) server.localAddress()).getPort());
              }
              bound.complete(null);
            } else {
              bound.completeExceptionally(done.cause());
            }
          });
      binds.add(bound);
    }
    return CompletableFuture.allOf(binds.toArray(CompletableFuture[]::new));
  }

  private ServerBootstrap bootstrap(ListenSpec spec) {
    return new ServerBootstrap()
        .group(boss, workers)
        .channel(serverChannelType)
        .option(ChannelOption.SO_BACKLOG, 1024)
        .option(ChannelOption.SO_REUSEADDR, true)
        .childOption(ChannelOption.TCP_NODELAY, true)
        // One allocator for all channels (each still gets its own handle): 32 bytes less each.
        .childOption(ChannelOption.RCVBUF_ALLOCATOR, RECV_ALLOCATOR)
        .childOption(
            ChannelOption.WRITE_BUFFER_WATER_MARK,
            new WriteBufferWaterMark(
                config.writeBufferLowWaterMark(), config.writeBufferHighWaterMark()))
        .childHandler(
            new ChannelInitializer<SocketChannel>() {
              @Override
              protected void initChannel(SocketChannel ch) {
                channels.add(ch);
                pipeline.init(ch.pipeline(), spec);
              }
            });
  }

  @Override
  public int activePort(ListenSpec.Kind kind) {
    synchronized (ports) {
      Integer port = ports.get(kind);
      if (port == null) {
        throw new IllegalStateException("no bound " + kind + " listener");
      }
      return port;
    }
  }

  @Override
  public CompletableFuture<Void> close() {
    if (closed.compareAndSet(false, true)) {
      channels
          .close()
          .addListener(
              closedChannels -> {
                boss.shutdownGracefully(0, 5, TimeUnit.SECONDS);
                workers
                    .shutdownGracefully(0, 5, TimeUnit.SECONDS)
                    .addListener(
                        done ->
                            boss.terminationFuture()
                                .addListener(bossDone -> closeFuture.complete(null)));
              });
    }
    return closeFuture;
  }
}
