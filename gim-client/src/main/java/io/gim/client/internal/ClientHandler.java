package io.gim.client.internal;

import io.gim.protocol.Packet;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler.ClientHandshakeStateEvent;

/**
 * The last handler of a client pipeline: tells the {@link ClientEngine} when the transport is ready
 * (TCP connected, or WebSocket handshake done) and hands it every packet. One per channel.
 */
final class ClientHandler extends SimpleChannelInboundHandler<Packet> {

  private final ClientEngine engine;
  private final boolean webSocket;

  ClientHandler(ClientEngine engine, boolean webSocket) {
    super(Packet.class);
    this.engine = engine;
    this.webSocket = webSocket;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    if (!webSocket) {
      engine.onTransportReady(ctx.channel());
    }
    super.channelActive(ctx);
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt == ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
      engine.onTransportReady(ctx.channel());
    }
    super.userEventTriggered(ctx, evt);
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, Packet packet) {
    engine.onPacket(ctx.channel(), packet);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    engine.onChannelError(ctx.channel(), cause);
    ctx.close();
  }
}
