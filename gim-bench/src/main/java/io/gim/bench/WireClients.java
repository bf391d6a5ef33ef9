package io.gim.bench;

import io.gim.transport.netty.internal.VarintFrameDecoder;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Opens many raw client connections on a few event loops, spread over local source addresses
 * (127.0.0.2, ... past the ~28,000 ephemeral ports of one address). Owns its event loops; {@link
 * #close()} closes every connection it opened. Thread-safe.
 */
public final class WireClients implements AutoCloseable {
  private static final int CONCURRENT_CONNECTS = 256;

  private final EventLoopGroup group;
  private final boolean epoll = Epoll.isAvailable();
  private final List<InetSocketAddress> sources = new ArrayList<>();
  private final List<Channel> channels = new ArrayList<>();

  WireClients(int threads, List<String> sourceIps) {
    this.group =
        new MultiThreadIoEventLoopGroup(
            threads,
            new DefaultThreadFactory("bench-load"),
            epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    for (String ip : sourceIps) {
      sources.add(new InetSocketAddress(ip, 0));
    }
  }

  /** Opens connections to GIM or the relay floor for users {@code first .. first+count-1}. */
  List<LoadHandler> gim(
      String host,
      int port,
      long first,
      int count,
      long roomId,
      LoadHandler.Mode mode,
      Counters counters) {
    List<LoadHandler> handlers = new ArrayList<>(count);
    open(
        host,
        port,
        count,
        () -> {
          LoadHandler h = new LoadHandler(first + handlers.size(), roomId, mode, counters);
          handlers.add(h);
          return new Object[] {VarintFrameDecoder.retainedSlices(Wire.MAX_FRAME_BYTES), h};
        },
        i -> handlers.get(i).ready);
    return handlers;
  }

  /**
   * Opens {@code count} connections whose pipelines {@code pipeline} makes (called in order, on the
   * calling thread), waiting for each one's {@code ready} future; at most 256 set-ups in flight.
   */
  public void open(
      String host,
      int port,
      int count,
      Supplier<Object[]> pipeline,
      java.util.function.IntFunction<CompletableFuture<Void>> ready) {
    Semaphore permits = new Semaphore(CONCURRENT_CONNECTS);
    List<CompletableFuture<Void>> all = new ArrayList<>(count);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    for (int i = 0; i < count; i++) {
      acquire(permits, deadline);
      Object[] handlers = pipeline.get();
      ChannelFuture f = bootstrap(handlers).connect(new InetSocketAddress(host, port), source(i));
      synchronized (channels) {
        channels.add(f.channel());
      }
      CompletableFuture<Void> r = ready.apply(i);
      f.addListener(
          done -> {
            if (!done.isSuccess()) {
              r.completeExceptionally(done.cause());
            }
          });
      r.whenComplete((ok, e) -> permits.release());
      all.add(r);
      if (r.isCompletedExceptionally()) {
        r.join();
      }
    }
    CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
        .orTimeout(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)
        .join();
  }

  private InetSocketAddress source(int i) {
    return sources.isEmpty() ? null : sources.get(i % sources.size());
  }

  private static void acquire(Semaphore permits, long deadline) {
    try {
      if (!permits.tryAcquire(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
        throw new IllegalStateException("connections not set up in time");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private Bootstrap bootstrap(Object[] handlers) {
    return new Bootstrap()
        .group(group)
        .channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.SO_REUSEADDR, true)
        .handler(
            new ChannelInitializer<SocketChannel>() {
              @Override
              protected void initChannel(SocketChannel ch) {
                for (Object h : handlers) {
                  ch.pipeline().addLast((ChannelHandler) h);
                }
              }
            });
  }

  List<Channel> channels() {
    synchronized (channels) {
      return List.copyOf(channels);
    }
  }

  @Override
  public void close() {
    for (Channel c : channels()) {
      c.close();
    }
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
