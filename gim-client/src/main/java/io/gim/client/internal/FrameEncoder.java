package io.gim.client.internal;

import com.google.protobuf.CodedOutputStream;
import io.gim.protocol.Packet;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.EncoderException;
import io.netty.handler.codec.MessageToByteEncoder;

/**
 * Encodes a {@link Packet} as one TCP frame, {@code uvarint(length) ++ Packet bytes}. Stateless and
 * thread-safe; a packet over {@code maxFrameBytes} fails its write, because the server would close
 * the connection on it.
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
    return ctx.alloc().ioBuffer(CodedOutputStream.computeUInt32SizeNoTag(size) + size);
  }

  @Override
  protected void encode(ChannelHandlerContext ctx, Packet msg, ByteBuf out) throws Exception {
    int size = msg.getSerializedSize();
    if (size > maxFrameBytes) {
      throw new EncoderException(
          "packet of " + size + " bytes exceeds maxFrameBytes " + maxFrameBytes);
    }
    // writeDelimitedTo writes exactly our framing: an unsigned varint length, then the bytes.
    msg.writeDelimitedTo(new ByteBufOutputStream(out));
  }
}
