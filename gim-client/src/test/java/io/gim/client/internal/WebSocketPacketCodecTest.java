package io.gim.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.gim.protocol.Packet;
import io.gim.protocol.PacketCommand;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.EncoderException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WebSocketPacketCodecTest {

  private final EmbeddedChannel channel = new EmbeddedChannel(new WebSocketPacketCodec(1024));

  @AfterEach
  void releaseEverything() {
    channel.finishAndReleaseAll();
  }

  @Test
  void writesOnePacketAsOneBinaryFrameWithoutALengthPrefix() {
    Packet packet =
        Packet.newBuilder().setRequestId("7").setCommand(PacketCommand.PC_HEARTBEAT).build();

    channel.writeOutbound(packet);
    BinaryWebSocketFrame frame = channel.readOutbound();
    try {
      assertThat(frame.content().readableBytes()).isEqualTo(packet.getSerializedSize());
      channel.writeInbound(frame.retain());
    } finally {
      frame.release();
    }

    assertThat((Packet) channel.readInbound()).isEqualTo(packet);
  }

  @Test
  void rejectsATextFrame() {
    assertThatThrownBy(() -> channel.writeInbound(new TextWebSocketFrame("hello")))
        .isInstanceOf(CorruptedFrameException.class);
  }

  @Test
  void failsTheWriteOfAPacketOverTheLimit() {
    Packet big = Packet.newBuilder().setContent(ByteString.copyFrom(new byte[2048])).build();

    assertThatThrownBy(() -> channel.writeOutbound(big)).isInstanceOf(EncoderException.class);
  }
}
