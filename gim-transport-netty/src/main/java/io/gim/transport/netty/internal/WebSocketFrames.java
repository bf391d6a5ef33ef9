package io.gim.transport.netty.internal;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;

/**
 * One binary WebSocket message carries one packet: inbound binary frames become {@code byte[]},
 * outbound {@code byte[]} become binary frames. A text frame is a protocol error: the connection is
 * closed with status 1003. Sharable and stateless.
 */
@ChannelHandler.Sharable
public final class WebSocketFrames extends ChannelDuplexHandler {
  public static final WebSocketFrames INSTANCE = new WebSocketFrames();

  private WebSocketFrames() {}

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof FullHttpRequest request) {
      // Not an upgrade on the WebSocket path: nothing else is served here.
      request.release();
      FullHttpResponse notFound =
          new DefaultFullHttpResponse(request.protocolVersion(), HttpResponseStatus.NOT_FOUND);
      HttpUtil.setContentLength(notFound, 0);
      ctx.writeAndFlush(notFound).addListener(ChannelFutureListener.CLOSE);
      return;
    }
    if (!(msg instanceof WebSocketFrame frame)) {
      ctx.fireChannelRead(msg);
      return;
    }
    try {
      if (frame instanceof BinaryWebSocketFrame) {
        ctx.fireChannelRead(ByteBufUtil.getBytes(frame.content()));
      } else {
        ctx.writeAndFlush(
                new CloseWebSocketFrame(
                    WebSocketCloseStatus.INVALID_MESSAGE_TYPE, "binary frames only"))
            .addListener(ChannelFutureListener.CLOSE);
      }
    } finally {
      ReferenceCountUtil.release(frame);
    }
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (msg instanceof byte[] packet) {
      ctx.write(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(packet)), promise);
    } else {
      ctx.write(msg, promise);
    }
  }
}
