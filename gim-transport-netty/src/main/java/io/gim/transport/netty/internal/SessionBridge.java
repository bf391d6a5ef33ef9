package io.gim.transport.netty.internal;

import io.gim.core.transport.ConnectionHandler;
import io.gim.protocol.Framing.LengthParser;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one handler of a TCP connection (the last one of a WebSocket connection): hands the channel
 * to the engine at channel-active (both transports, so that the sign-in timeout also covers a
 * WebSocket peer that never finishes its upgrade) and feeds it the channel's frames; on TCP it also
 * splits the stream into frames ({@link TcpFraming}; a length over the maximum fails the connection
 * as soon as the prefix is read, before the body is buffered). It keeps one slow reader from
 * costing anyone else: the water marks make the channel unwritable; if it stays unwritable for the
 * unwritable timeout, or its unsent bytes pass the maximum, it is closed (its messages stay in the
 * store for the next sync). Its loop's {@link LoopConnections} closes it once it has read nothing
 * for the read-idle timeout.
 *
 * <p>One handler instead of four keeps an idle connection small: each handler costs a context and
 * its own object, and an idle connection holds them for hours. Its partial-frame buffer exists only
 * while a frame is incomplete. Not sharable: one per channel, used on its loop.
 */
public final class SessionBridge extends ChannelDuplexHandler {
  private static final Logger log = LoggerFactory.getLogger(SessionBridge.class);

  private final ServerPipeline shared;
  private final boolean framed;
  private ChannelHandlerContext ctx;
  private LoopConnections loop;
  private ConnectionHandler handler;
  private ChannelOutbound outbound;
  private ScheduledFuture<?> unwritableTimer;
  private ByteBuf cumulation; // only while a frame is incomplete
  private boolean reading;

  // The loop's read-order list (LoopConnections).
  SessionBridge prev;
  SessionBridge next;
  long lastReadNanos;
  boolean listed;

  SessionBridge(ServerPipeline shared, boolean framed) {
    this.shared = shared;
    this.framed = framed;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    Channel ch = ctx.channel();
    loop = shared.loopConnections(ch.eventLoop());
    loop.add(this, System.nanoTime());
    outbound = shared.outboxes().of(ch.eventLoop()).register(ch, framed);
    handler =
        shared.acceptor().apply(new NettyConnection(shared.nextConnectionId(), outbound, !framed));
    ctx.fireChannelActive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    reading = true;
    if (framed && msg instanceof ByteBuf in) {
      decode(ctx, in);
    } else if (msg instanceof byte[] frame && handler != null) {
      handler.onFrame(frame);
    } else {
      ReferenceCountUtil.release(msg);
    }
  }

  /**
   * Counts a read for the idle timeout. On TCP only a read that brought bytes counts; a WebSocket
   * bridge sits behind the HTTP codec and sees every read of the socket complete, whether or not it
   * finished a frame.
   */
  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    if ((reading || !framed) && loop != null) {
      reading = false;
      loop.read(this, System.nanoTime());
    }
    ctx.fireChannelReadComplete();
  }

  private void decode(ChannelHandlerContext ctx, ByteBuf in) {
    ByteBuf buf =
        cumulation == null
            ? in
            : ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(ctx.alloc(), cumulation, in);
    cumulation = null;
    LengthParser parser = loop.parser(); // the loop's: holds state only within readPrefix
    try {
      while (buf.isReadable() && handler != null) {
        int bodyStart = TcpFraming.readPrefix(buf, parser);
        if (bodyStart < 0) {
          break; // the length prefix is incomplete (split between reads): wait for more bytes
        }
        int length = parser.length();
        if (buf.writerIndex() - bodyStart < length) {
          break; // the body is incomplete: wait for more bytes
        }
        buf.readerIndex(bodyStart);
        byte[] frame = new byte[length];
        buf.readBytes(frame);
        handler.onFrame(frame);
      }
    } finally {
      if (buf.isReadable() && handler != null) {
        buf.discardSomeReadBytes();
        cumulation = buf;
      } else {
        buf.release();
      }
    }
  }

  /** Called by the loop's sweep: nothing was read for the read-idle timeout. */
  void readIdle() {
    log.debug("closing {}: read idle", ctx.channel().remoteAddress());
    ctx.close();
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    ctx.write(msg, promise);
    ChannelOutboundBuffer buffer = ctx.channel().unsafe().outboundBuffer();
    long max = shared.maxPendingOutboundBytes();
    if (buffer != null && buffer.totalPendingWriteBytes() > max && ctx.channel().isOpen()) {
      log.info(
          "closing {}: {} unsent bytes (max {})",
          ctx.channel().remoteAddress(),
          buffer.totalPendingWriteBytes(),
          max);
      SlowConsumerGuard.markSlow(ctx.channel());
      ctx.close();
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    Channel ch = ctx.channel();
    if (!ch.isWritable() && unwritableTimer == null) {
      long timeoutNanos = shared.unwritableTimeoutNanos();
      unwritableTimer =
          ctx.executor()
              .schedule(
                  () -> {
                    unwritableTimer = null;
                    if (!ch.isWritable() && ch.isOpen()) {
                      log.info(
                          "closing {}: unwritable for {} ms",
                          ch.remoteAddress(),
                          timeoutNanos / 1_000_000);
                      SlowConsumerGuard.markSlow(ch);
                      ch.close();
                    }
                  },
                  timeoutNanos,
                  TimeUnit.NANOSECONDS);
    } else if (ch.isWritable() && unwritableTimer != null) {
      unwritableTimer.cancel(false);
      unwritableTimer = null;
    }
    if (outbound != null) {
      outbound.writabilityChanged(); // the socket drained: held packets go, priority lane first
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    release();
    if (handler != null) {
      ConnectionHandler h = handler;
      handler = null;
      if (Boolean.TRUE.equals(ctx.channel().attr(SlowConsumerGuard.CLOSED_AS_SLOW).get())) {
        h.onSlowConsumer();
      }
      h.onClosed();
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    release();
  }

  private void release() {
    if (loop != null) {
      loop.remove(this);
    }
    if (unwritableTimer != null) {
      unwritableTimer.cancel(false);
      unwritableTimer = null;
    }
    if (cumulation != null) {
      cumulation.release();
      cumulation = null;
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // Bad input from this peer: close this connection only; others never see it.
    if (log.isDebugEnabled()) {
      log.debug("closing {}: {}", ctx.channel().remoteAddress(), cause.toString());
    }
    ctx.close();
  }
}
