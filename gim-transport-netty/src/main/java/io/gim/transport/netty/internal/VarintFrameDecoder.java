package io.gim.transport.netty.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;
import java.util.List;

/**
 * Splits a TCP stream into frames of {@code uvarint(length) ++ bytes} and emits each frame as a
 * {@code byte[]}. A length over the maximum fails the connection as soon as the prefix is read,
 * before the body is buffered. Not sharable: one per channel.
 */
public final class VarintFrameDecoder extends ByteToMessageDecoder {
  private final int maxFrameBytes;

  public VarintFrameDecoder(int maxFrameBytes) {
    this.maxFrameBytes = maxFrameBytes;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    while (in.isReadable()) {
      int start = in.readerIndex();
      long length = readVarint(in);
      if (length < 0) {
        in.readerIndex(start); // the prefix is incomplete
        return;
      }
      if (length > maxFrameBytes) {
        throw new TooLongFrameException(
            "frame of " + length + " bytes (max " + maxFrameBytes + ")");
      }
      if (in.readableBytes() < length) {
        in.readerIndex(start);
        return;
      }
      byte[] frame = new byte[(int) length];
      in.readBytes(frame);
      out.add(frame);
    }
  }

  /** The varint at the reader index, or -1 if more bytes are needed; at most 5 bytes. */
  static long readVarint(ByteBuf in) {
    long value = 0;
    for (int shift = 0; shift < 35; shift += 7) {
      if (!in.isReadable()) {
        return -1;
      }
      byte b = in.readByte();
      value |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return value;
      }
    }
    throw new CorruptedFrameException("length prefix longer than 5 bytes");
  }
}
