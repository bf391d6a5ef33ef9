package io.gim.client.internal;

import com.google.protobuf.CodedInputStream;
import io.gim.protocol.Packet;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.EncoderException;
import io.netty.handler.codec.MessageToMessageCodec;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.util.List;

/**
 * One binary WebSocket message is exactly one {@link Packet}, no length prefix. Sits after the
 * frame aggregator. Not shared: one instance per channel.
 */
public final class WebSocketPacketCodec extends MessageToMessageCodec<WebSocketFrame, Packet> {

  private final int maxFrameBytes;

  public WebSocketPacketCodec(int maxFrameBytes) {
    super(WebSocketFrame.class, Packet.class);
    this.maxFrameBytes = maxFrameBytes;
  }

  @Override
  protected void encode(ChannelHandlerContext ctx, Packet msg, List<Object> out) {
    int size = msg.getSerializedSize();
    if (size > maxFrameBytes) {
      throw new EncoderException(
          "packet of " + size + " bytes exceeds maxFrameBytes " + maxFrameBytes);
    }
    out.add(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(msg.toByteArray())));
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, WebSocketFrame frame, List<Object> out)
      throws Exception {
    if (!(frame instanceof BinaryWebSocketFrame)) {
      throw new CorruptedFrameException(
          "expected a binary WebSocket frame, got " + frame.getClass().getSimpleName());
    }
    out.add(Packet.parseFrom(CodedInputStream.newInstance(frame.content().nioBuffer())));
  }
}
