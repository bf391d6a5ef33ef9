package io.gim.transport.netty.internal;

import io.gim.protocol.Framing;
import io.gim.protocol.Framing.LengthParser;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;

/**
 * {@link Framing}, the TCP framing {@code uvarint(length) ++ Packet bytes}, on Netty buffers: the
 * transport's frame decoder and outbox use it, and so do the benchmarks' load clients and relay.
 * Stateless and thread-safe.
 */
public final class TcpFraming {
  private TcpFraming() {}

  /** Writes the length prefix of a {@code length}-byte body into {@code out}. */
  public static ByteBuf writePrefix(ByteBuf out, int length) {
    for (int i = 0, size = Framing.prefixSize(length); i < size; i++) {
      out.writeByte(Framing.prefixByte(length, i));
    }
    return out;
  }

  /** A new buffer from {@code alloc} holding the frame of {@code body}. */
  public static ByteBuf frame(ByteBufAllocator alloc, byte[] body) {
    ByteBuf buf = alloc.ioBuffer(Framing.prefixSize(body.length) + body.length);
    return writePrefix(buf, body.length).writeBytes(body);
  }

  /**
   * Parses the length prefix at the reader index without moving it; returns the index of the body,
   * or -1 if the prefix is incomplete. On a bad prefix it discards what is readable (nothing after
   * it can be trusted) and throws.
   *
   * @throws TooLongFrameException if the length is over the parser's maximum
   * @throws CorruptedFrameException if the prefix is longer than {@link Framing#MAX_PREFIX_BYTES}
   */
  public static int readPrefix(ByteBuf in, LengthParser parser) {
    parser.reset();
    int i = in.readerIndex();
    Framing.Status status = Framing.Status.NEED_MORE;
    while (status == Framing.Status.NEED_MORE && i < in.writerIndex()) {
      status = parser.next(in.getByte(i++));
    }
    switch (status) {
      case NEED_MORE:
        return -1;
      case COMPLETE:
        return i;
      default:
        in.skipBytes(in.readableBytes());
        throw status == Framing.Status.TOO_LONG
            ? new TooLongFrameException(
                "frame of " + parser.announcedLength() + " bytes (max " + parser.maxLength() + ")")
            : new CorruptedFrameException(
                "length prefix longer than " + Framing.MAX_PREFIX_BYTES + " bytes");
    }
  }
}
