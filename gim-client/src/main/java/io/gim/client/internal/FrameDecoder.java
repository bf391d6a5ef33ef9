package io.gim.client.internal;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import io.gim.protocol.Framing;
import io.gim.protocol.Framing.LengthParser;
import io.gim.protocol.Packet;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;
import java.util.List;

/**
 * Decodes TCP frames, {@code uvarint(length) ++ Packet bytes} ({@link Framing}), into {@link
 * Packet}s. A length over the maximum fails as soon as the prefix is read, before any body is
 * buffered. Not thread-safe: one instance per channel, used on its event loop.
 */
public final class FrameDecoder extends ByteToMessageDecoder {
  private final LengthParser parser;

  public FrameDecoder(int maxFrameBytes) {
    this.parser = new LengthParser(maxFrameBytes);
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
    while (in.isReadable()) {
      parser.reset();
      int at = in.readerIndex();
      Framing.Status status = Framing.Status.NEED_MORE;
      while (status == Framing.Status.NEED_MORE && at < in.writerIndex()) {
        status = parser.next(in.getByte(at++));
      }
      if (status == Framing.Status.NEED_MORE) {
        return;
      }
      if (status != Framing.Status.COMPLETE) {
        in.skipBytes(in.readableBytes());
        throw status == Framing.Status.TOO_LONG
            ? new TooLongFrameException(
                "frame of "
                    + parser.announcedLength()
                    + " bytes exceeds maxFrameBytes "
                    + parser.maxLength())
            : new CorruptedFrameException(
                "frame length varint longer than " + Framing.MAX_PREFIX_BYTES + " bytes");
      }
      int length = parser.length();
      if (in.writerIndex() - at < length) {
        return;
      }
      CodedInputStream body = CodedInputStream.newInstance(in.nioBuffer(at, length));
      in.readerIndex(at + length);
      try {
        out.add(Packet.parseFrom(body));
      } catch (InvalidProtocolBufferException e) {
        in.skipBytes(in.readableBytes()); // the stream is broken: nothing after it is decoded
        throw e;
      }
    }
  }
}
