package io.gim.client.internal;

import com.google.protobuf.CodedInputStream;
import io.gim.protocol.Packet;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;
import java.util.List;

/**
 * Decodes TCP frames, {@code uvarint(length) ++ Packet bytes}, into {@link Packet}s. Not
 * thread-safe: one instance per channel, used on its event loop.
 */
public final class FrameDecoder extends ByteToMessageDecoder {

  /** An int needs at most five LEB128 bytes. */
  private static final int MAX_VARINT_BYTES = 5;

  private final int maxFrameBytes;

  public FrameDecoder(int maxFrameBytes) {
    this.maxFrameBytes = maxFrameBytes;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
    while (in.isReadable()) {
      int start = in.readerIndex();
      long length = readUvarint(in);
      if (length < 0) {
        in.readerIndex(start); // the prefix itself is still incomplete
        return;
      }
      // Checked before any body bytes are buffered, so a hostile length costs nothing.
      if (length > maxFrameBytes) {
        in.skipBytes(in.readableBytes());
        throw new TooLongFrameException(
            "frame of " + length + " bytes exceeds maxFrameBytes " + maxFrameBytes);
      }
      if (in.readableBytes() < length) {
        in.readerIndex(start);
        return;
      }
      int bodyStart = in.readerIndex();
      CodedInputStream body = CodedInputStream.newInstance(in.nioBuffer(bodyStart, (int) length));
      in.skipBytes((int) length);
      out.add(Packet.parseFrom(body));
    }
  }

  /** Returns the decoded value, or -1 when the buffer ends before the varint does. */
  private static long readUvarint(ByteBuf in) {
    long value = 0;
    for (int i = 0; i < MAX_VARINT_BYTES; i++) {
      if (!in.isReadable()) {
        return -1;
      }
      byte b = in.readByte();
      value |= (long) (b & 0x7f) << (7 * i);
      if (b >= 0) {
        return value;
      }
    }
    in.skipBytes(in.readableBytes());
    throw new CorruptedFrameException(
        "frame length varint longer than " + MAX_VARINT_BYTES + " bytes");
  }
}
