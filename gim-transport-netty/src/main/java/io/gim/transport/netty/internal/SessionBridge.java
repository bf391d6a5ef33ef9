package io.gim.transport.netty.internal;

import io.gim.core.transport.Connection;
import io.gim.core.transport.ConnectionHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands a channel to the engine and feeds it the channel's frames: at channel-active for TCP, at
 * the end of the handshake for WebSocket. Closes idle connections. One per channel.
 */
public final class SessionBridge extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(SessionBridge.class);

  private final Function<Connection, ConnectionHandler> acceptor;
  private final AtomicLong ids;
  private final Outboxes outboxes;
  private final boolean websocket;
  private ConnectionHandler handler;
  private ChannelOutbound outbound;

  public SessionBridge(
      Function<Connection, ConnectionHandler> acceptor,
      AtomicLong ids,
      Outboxes outboxes,
      boolean websocket) {
    this.acceptor = acceptor;
    this.ids = ids;
    this.outboxes = outboxes;
    this.websocket = websocket;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    // Both transports hand the connection to the engine at accept, so that the sign-in timeout
    // also covers a WebSocket peer that never finishes its HTTP upgrade.
    open(ctx);
    ctx.fireChannelActive();
  }

  private void open(ChannelHandlerContext ctx) {
    outbound = outboxes.of(ctx.channel().eventLoop()).register(ctx.channel(), !websocket);
    handler = acceptor.apply(new NettyConnection(ids.incrementAndGet(), outbound, websocket));
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (outbound != null) {
      outbound.writabilityChanged(); // the socket drained: held packets go, priority lane first
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof IdleStateEvent) {
      log.debug("closing {}: read idle", ctx.channel().remoteAddress());
      ctx.close();
    } else {
      ctx.fireUserEventTriggered(evt);
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof byte[] frame && handler != null) {
      handler.onFrame(frame);
    } else {
      io.netty.util.ReferenceCountUtil.release(msg);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
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
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // Bad input from this peer: close this connection only; others never see it.
    if (log.isDebugEnabled()) {
      log.debug("closing {}: {}", ctx.channel().remoteAddress(), cause.toString());
    }
    ctx.close();
  }
}
