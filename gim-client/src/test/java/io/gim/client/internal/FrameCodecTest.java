package io.gim.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.gim.protocol.Packet;
import io.gim.protocol.PacketCommand;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.EncoderException;
import io.netty.handler.codec.TooLongFrameException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FrameCodecTest {

  private static final int MAX = 1024 * 1024;

  private final EmbeddedChannel channel =
      new EmbeddedChannel(new FrameDecoder(MAX), new FrameEncoder(MAX));

  @AfterEach
  void releaseEverything() {
    channel.finishAndReleaseAll();
  }

  @Test
  void roundTripsAPacketThroughEncoderAndDecoder() {
    Packet packet = packet("r1", 10);

    assertThat(channel.writeOutbound(packet)).isTrue();
    ByteBuf frame = channel.readOutbound();
    assertThat(channel.writeInbound(frame)).isTrue();

    assertThat((Packet) channel.readInbound()).isEqualTo(packet);
  }

  @Test
  void prefixesTheFrameWithTheUvarintLength() {
    Packet packet = packet("r1", 3);
    channel.writeOutbound(packet);
    ByteBuf frame = channel.readOutbound();
    try {
      int size = packet.getSerializedSize();
      assertThat(size).isLessThan(128);
      assertThat(frame.readableBytes()).isEqualTo(1 + size);
      assertThat(frame.getByte(0)).isEqualTo((byte) size);
    } finally {
      frame.release();
    }
  }

  @Test
  void decodesAMultiByteVarintLength() {
    Packet packet = packet("big", 70_000); // needs a three-byte length
    ByteBuf frame = frameOf(packet);
    assertThat(frame.getByte(0) & 0x80).isNotZero();
    assertThat(frame.getByte(1) & 0x80).isNotZero();
    assertThat(frame.getByte(2) & 0x80).isZero();

    channel.writeInbound(frame);

    assertThat((Packet) channel.readInbound()).isEqualTo(packet);
  }

  @Test
  void waitsForTheRestOfAFrameSplitAnywhere() {
    Packet packet = packet("split", 300);
    ByteBuf frame = frameOf(packet);
    byte[] bytes = new byte[frame.readableBytes()];
    frame.readBytes(bytes).release();

    // One byte at a time splits both the two-byte length and the body.
    for (int i = 0; i < bytes.length - 1; i++) {
      assertThat(channel.writeInbound(Unpooled.wrappedBuffer(bytes, i, 1))).isFalse();
    }
    assertThat(channel.writeInbound(Unpooled.wrappedBuffer(bytes, bytes.length - 1, 1))).isTrue();

    assertThat((Packet) channel.readInbound()).isEqualTo(packet);
  }

  @Test
  void decodesSeveralFramesArrivingInOneBuffer() {
    Packet a = packet("a", 5);
    Packet b = packet("b", 200);
    ByteBuf both = Unpooled.wrappedBuffer(frameOf(a), frameOf(b));

    channel.writeInbound(both);

    assertThat((Packet) channel.readInbound()).isEqualTo(a);
    assertThat((Packet) channel.readInbound()).isEqualTo(b);
  }

  @Test
  void rejectsAnOverLongLengthBeforeTheBodyArrives() {
    EmbeddedChannel small = new EmbeddedChannel(new FrameDecoder(100));
    // Only the length prefix, announcing 101 bytes: rejected without waiting for (or buffering) a
    // body.
    ByteBuf prefix = Unpooled.buffer().writeByte(101);

    assertThatThrownBy(() -> small.writeInbound(prefix)).isInstanceOf(TooLongFrameException.class);
    assertThat(prefix.refCnt()).isZero();
    small.finishAndReleaseAll();
  }

  @Test
  void rejectsAHugeFiveByteLength() {
    ByteBuf prefix =
        Unpooled.buffer()
            .writeBytes(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x07});

    assertThatThrownBy(() -> channel.writeInbound(prefix))
        .isInstanceOf(TooLongFrameException.class);
  }

  @Test
  void rejectsAVarintLongerThanFiveBytes() {
    ByteBuf prefix =
        Unpooled.buffer()
            .writeBytes(
                new byte[] {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x01});

    assertThatThrownBy(() -> channel.writeInbound(prefix))
        .isInstanceOf(CorruptedFrameException.class);
  }

  @Test
  void rejectsBytesThatAreNotAPacket() {
    ByteBuf garbage = Unpooled.buffer().writeByte(2).writeByte(0xff).writeByte(0xff);

    assertThatThrownBy(() -> channel.writeInbound(garbage)).isInstanceOf(DecoderException.class);
  }

  @Test
  void failsTheWriteOfAPacketOverTheLimit() {
    EmbeddedChannel small = new EmbeddedChannel(new FrameEncoder(100));

    assertThatThrownBy(() -> small.writeOutbound(packet("x", 200)))
        .isInstanceOf(EncoderException.class);
    small.finishAndReleaseAll();
  }

  private ByteBuf frameOf(Packet packet) {
    EmbeddedChannel encoder = new EmbeddedChannel(new FrameEncoder(MAX));
    encoder.writeOutbound(packet);
    ByteBuf frame = encoder.readOutbound();
    encoder.finishAndReleaseAll();
    return frame;
  }

  private static Packet packet(String requestId, int contentBytes) {
    byte[] content = new byte[contentBytes];
    for (int i = 0; i < content.length; i++) {
      content[i] = (byte) i;
    }
    return Packet.newBuilder()
        .setRequestId(requestId)
        .setCommand(PacketCommand.PC_SEND)
        .setContent(ByteString.copyFrom(content))
        .build();
  }
}
