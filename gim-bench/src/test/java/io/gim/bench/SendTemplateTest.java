package io.gim.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.gim.protocol.Framing;
import io.gim.protocol.Packet;
import io.gim.protocol.PacketCommand;
import io.gim.protocol.SendRequest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SendTemplateTest {

  @Test
  void eachCopyDecodesAsASendStampedWithItsTime() throws Exception {
    SendTemplate t = new SendTemplate(Wire.Kind.USER, 4242, 100);
    ByteBuf buf = Unpooled.buffer();
    long[] stamps = {1, 987_654_321_012L, Long.MAX_VALUE};
    for (long s : stamps) {
      t.writeTo(buf, s);
    }
    assertThat(buf.readableBytes()).isEqualTo(3 * t.frameBytes());
    List<Packet> packets = new ArrayList<>();
    new FrameSplitter()
        .split(
            buf,
            (b, offset, length) -> {
              try {
                packets.add(Packet.parseFrom(ByteBufUtil.getBytes(b, offset, length)));
              } catch (Exception e) {
                throw new AssertionError(e);
              }
            });
    assertThat(packets).hasSize(3);
    for (int i = 0; i < 3; i++) {
      Packet p = packets.get(i);
      SendRequest r = SendRequest.parseFrom(p.getContent());
      assertThat(p.getCommand()).isEqualTo(PacketCommand.PC_SEND);
      assertThat(Long.parseLong(p.getRequestId())).isEqualTo(stamps[i]);
      assertThat(r.getToUserId()).isEqualTo(4242);
      assertThat(r.getContent().size()).isEqualTo(100);
      assertThat(Wire.stampOf(r.getContent())).isEqualTo(stamps[i]);
    }
  }

  @Test
  void readsBackTheStampOfARequestIdAndNothingFromOthers() {
    ByteBuf id =
        Unpooled.copiedBuffer("0000000000000012345", java.nio.charset.StandardCharsets.US_ASCII);
    assertThat(SendTemplate.stampOfRequestId(id, 0, id.readableBytes())).isEqualTo(12345);
    ByteBuf other = Unpooled.copiedBuffer("in", java.nio.charset.StandardCharsets.US_ASCII);
    assertThat(SendTemplate.stampOfRequestId(other, 0, 2)).isZero();
  }

  @Test
  void framesAreWhatFramingWrites() {
    SendTemplate t = new SendTemplate(Wire.Kind.GROUP, 7, 8);
    ByteBuf buf = Unpooled.buffer();
    t.writeTo(buf, 5);
    byte[] body =
        Packet.newBuilder()
            .setRequestId("0000000000000000005")
            .setCommand(PacketCommand.PC_SEND)
            .setContent(
                SendRequest.newBuilder()
                    .setGroupId(7)
                    .setContent(com.google.protobuf.ByteString.copyFrom(Wire.stamped(5, 8)))
                    .build()
                    .toByteString())
            .build()
            .toByteArray();
    assertThat(ByteBufUtil.getBytes(buf)).isEqualTo(Framing.frame(body));
  }
}
