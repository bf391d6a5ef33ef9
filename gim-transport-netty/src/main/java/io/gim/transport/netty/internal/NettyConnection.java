package io.gim.transport.netty.internal;

import io.gim.core.transport.Connection;
import io.netty.channel.Channel;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** A {@link Connection} over a Netty channel. Thread-safe: writes hop to the channel's loop. */
final class NettyConnection implements Connection {
  /** How long a graceful close may wait for queued writes before the socket is dropped. */
  private static final long CLOSE_GRACE_MILLIS = 5_000;

  private final long id;
  private final Channel channel;
  private final ChannelOutbound outbound;
  private final String transport;

  NettyConnection(long id, ChannelOutbound outbound, boolean websocket) {
    this.id = id;
    this.transport = websocket ? "websocket" : "tcp";
    this.channel = outbound.channel;
    this.outbound = outbound;
  }

  @Override
  public long id() {
    return id;
  }

  @Override
  public String transport() {
    return transport;
  }

  @Override
  public String remoteAddress() {
    return String.valueOf(channel.remoteAddress());
  }

  @Override
  public void send(byte[] packet) {
    if (channel.isActive()) {
      outbound.send(packet);
    }
  }

  @Override
  public void sendPriority(byte[] packet) {
    if (channel.isActive()) {
      outbound.sendPriority(packet);
    }
  }

  @Override
  public Executor executor() {
    return channel.eventLoop();
  }

  @Override
  public void pauseReads() {
    channel.config().setAutoRead(false);
  }

  @Override
  public void resumeReads() {
    if (!channel.config().isAutoRead()) {
      channel.config().setAutoRead(true); // also asks for a read
    }
  }

  @Override
  public void close() {
    if (!channel.isOpen()) {
      return;
    }
    outbound.close();
    channel.eventLoop().schedule(() -> channel.close(), CLOSE_GRACE_MILLIS, TimeUnit.MILLISECONDS);
  }

  @Override
  public boolean isOpen() {
    return channel.isActive();
  }

  @Override
  public Future<?> schedule(Duration delay, Runnable task) {
    return channel
        .eventLoop()
        .schedule(
            () -> {
              if (channel.isActive()) {
                task.run();
              }
            },
            delay.toNanos(),
            TimeUnit.NANOSECONDS);
  }

  @Override
  public String toString() {
    return "Connection#" + id + "[" + remoteAddress() + "]";
  }
}
