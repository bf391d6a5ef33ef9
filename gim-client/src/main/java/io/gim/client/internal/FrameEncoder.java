package io.gim.client.internal;

import io.gim.protocol.Framing;
import io.gim.protocol.Packet;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.EncoderException;
import io.netty.handler.codec.MessageToByteEncoder;

/**
 * Encodes a {@link Packet} as one TCP frame, {@code uvarint(length) ++ Packet bytes} ({@link
 * Framing}). Stateless and thread-safe; a packet over {@code maxFrameBytes} fails its write,
 * because the server would close the connection on it.
 */
@Sharable
public final class FrameEncoder extends MessageToByteEncoder<Packet> {

  private final int maxFrameBytes;

  public FrameEncoder(int maxFrameBytes) {
    super(Packet.class);
    this.maxFrameBytes = maxFrameBytes;
  }

  @Override
  protected ByteBuf allocateBuffer(ChannelHandlerContext ctx, Packet msg, boolean preferDirect) {
    int size = msg.getSerializedSize();
    return ctx.alloc().ioBuffer(Framing.prefixSize(size) + size);
  }

  @Override
  protected void encode(ChannelHandlerContext ctx, Packet msg, ByteBuf out) throws Exception {
    int size = msg.getSerializedSize();
    if (size > maxFrameBytes) {
      throw new EncoderException(
          "packet of " + size + " bytes exceeds maxFrameBytes " + maxFrameBytes);
    }
    for (int i = 0, prefix = Framing.prefixSize(size); i < prefix; i++) {
      out.writeByte(Framing.prefixByte(size, i));
    }
    msg.writeTo(new ByteBufOutputStream(out));
  }
}
