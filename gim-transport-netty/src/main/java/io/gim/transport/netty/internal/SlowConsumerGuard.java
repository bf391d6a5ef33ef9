package io.gim.transport.netty.internal;

import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPromise;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one slow reader from costing anyone else: the channel's water marks make it unwritable; if
 * it stays unwritable for the timeout, or its unsent bytes pass the maximum, it is closed. Its
 * messages stay in the store for the next sync. One per channel; runs on the channel's loop.
 */
public final class SlowConsumerGuard extends ChannelDuplexHandler {
  private static final Logger log = LoggerFactory.getLogger(SlowConsumerGuard.class);

  private final long maxPendingBytes;
  private final long unwritableTimeoutNanos;
  private ScheduledFuture<?> unwritableTimer;

  public SlowConsumerGuard(long maxPendingBytes, Duration unwritableTimeout) {
    this.maxPendingBytes = maxPendingBytes;
    this.unwritableTimeoutNanos = unwritableTimeout.toNanos();
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    ctx.write(msg, promise);
    ChannelOutboundBuffer buffer = ctx.channel().unsafe().outboundBuffer();
    if (buffer != null
        && buffer.totalPendingWriteBytes() > maxPendingBytes
        && ctx.channel().isOpen()) {
      log.info(
          "closing {}: {} unsent bytes (max {})",
          ctx.channel().remoteAddress(),
          buffer.totalPendingWriteBytes(),
          maxPendingBytes);
      markSlow(ctx.channel());
      ctx.close();
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    Channel ch = ctx.channel();
    if (!ch.isWritable() && unwritableTimer == null) {
      unwritableTimer =
          ctx.executor()
              .schedule(
                  () -> {
                    unwritableTimer = null;
                    if (!ch.isWritable() && ch.isOpen()) {
                      log.info(
                          "closing {}: unwritable for {} ms",
                          ch.remoteAddress(),
                          unwritableTimeoutNanos / 1_000_000);
                      markSlow(ch);
                      ch.close();
                    }
                  },
                  unwritableTimeoutNanos,
                  TimeUnit.NANOSECONDS);
    } else if (ch.isWritable() && unwritableTimer != null) {
      unwritableTimer.cancel(false);
      unwritableTimer = null;
    }
    ctx.fireChannelWritabilityChanged();
  }

  /** Set on a channel closed for not reading: the engine counts it (gim.slow.consumers). */
  static final AttributeKey<Boolean> CLOSED_AS_SLOW = AttributeKey.valueOf("gim.closedAsSlow");

  static void markSlow(Channel channel) {
    channel.attr(CLOSED_AS_SLOW).set(Boolean.TRUE);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (unwritableTimer != null) {
      unwritableTimer.cancel(false);
      unwritableTimer = null;
    }
    ctx.fireChannelInactive();
  }
}
