package io.gim.transport.netty.internal;

import io.gim.protocol.Framing.LengthParser;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Splits a TCP stream into frames of {@code uvarint(length) ++ bytes} ({@link TcpFraming}) and
 * emits each frame as a {@code byte[]}, or as a retained slice for {@link #retainedSlices readers}
 * that want no copy. A length over the maximum fails the connection as soon as the prefix is read,
 * before the body is buffered. Not sharable: one per channel, used on its loop.
 */
public final class VarintFrameDecoder extends ByteToMessageDecoder {
  private final LengthParser parser;
  private final boolean slices;

  /** A decoder that emits every frame as a {@code byte[]}. */
  public VarintFrameDecoder(int maxFrameBytes) {
    this(maxFrameBytes, false);
  }

  private VarintFrameDecoder(int maxFrameBytes, boolean slices) {
    this.parser = new LengthParser(maxFrameBytes);
    this.slices = slices;
  }

  /** A decoder that emits every frame as a retained {@link ByteBuf} slice the reader releases. */
  public static VarintFrameDecoder retainedSlices(int maxFrameBytes) {
    return new VarintFrameDecoder(maxFrameBytes, true);
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    while (in.isReadable()) {
      int bodyStart = TcpFraming.readPrefix(in, parser);
      if (bodyStart < 0 || in.writerIndex() - bodyStart < parser.length()) {
        return; // the prefix or the body is incomplete: wait for more bytes
      }
      in.readerIndex(bodyStart);
      out.add(slices ? in.readRetainedSlice(parser.length()) : readBytes(in, parser.length()));
    }
  }

  private static byte[] readBytes(ByteBuf in, int length) {
    byte[] frame = new byte[length];
    in.readBytes(frame);
    return frame;
  }
}
