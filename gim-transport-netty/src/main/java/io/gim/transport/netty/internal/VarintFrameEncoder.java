package io.gim.transport.netty.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;

/**
 * Frames an encoded packet ({@code byte[]}) as {@code uvarint(length) ++ bytes}, in one pooled
 * buffer: the one copy a socket write needs anyway. Sharable and stateless.
 */
@ChannelHandler.Sharable
public final class VarintFrameEncoder extends MessageToByteEncoder<byte[]> {
  public static final VarintFrameEncoder INSTANCE = new VarintFrameEncoder();

  private VarintFrameEncoder() {
    super(byte[].class);
  }

  @Override
  protected ByteBuf allocateBuffer(ChannelHandlerContext ctx, byte[] msg, boolean preferDirect) {
    return ctx.alloc().ioBuffer(msg.length + 5);
  }

  @Override
  protected void encode(ChannelHandlerContext ctx, byte[] msg, ByteBuf out) {
    writeVarint(out, msg.length);
    out.writeBytes(msg);
  }

  static void writeVarint(ByteBuf out, int value) {
    while ((value & ~0x7F) != 0) {
      out.writeByte((value & 0x7F) | 0x80);
      value >>>= 7;
    }
    out.writeByte(value);
  }
}
