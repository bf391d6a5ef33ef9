package io.gim.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.gim.protocol.Message;
import io.gim.protocol.MessageCommand;
import io.gim.protocol.Packet;
import io.gim.protocol.PacketCommand;
import io.gim.protocol.Reply;
import org.junit.jupiter.api.Test;

class PacketsTest {
  private static final Message TEMPLATE =
      Message.newBuilder()
          .setCommand(MessageCommand.MC_GROUP_MESSAGE)
          .setContent(ByteString.copyFromUtf8("x".repeat(300))) // a multi-byte length prefix
          .setCreatedAt(1_795_000_000L)
          .setMessageId(123_456_789L)
          .build();

  @Test
  void anInboxPushDecodesAsTheTemplateWithEachReceiversSeq() throws Exception {
    Packets.InboxPush push = new Packets.InboxPush(TEMPLATE);
    for (long seq : new long[] {1, 127, 128, 1L << 40, Long.MAX_VALUE}) {
      Packet packet = Packet.parseFrom(push.packet(seq));
      assertThat(packet.getCommand()).isEqualTo(PacketCommand.PC_MESSAGE);
      assertThat(packet.getRequestId()).isEmpty();
      assertThat(Message.parseFrom(packet.getContent()))
          .isEqualTo(TEMPLATE.toBuilder().setSeq(seq).build());
    }
  }

  @Test
  void theMessageForAnotherNodeDecodesAsTheTemplateWithTheReceiversSeq() throws Exception {
    Packets.InboxPush push = new Packets.InboxPush(TEMPLATE);
    for (long seq : new long[] {0, 1, 128, 1L << 40, Long.MAX_VALUE}) {
      assertThat(Message.parseFrom(push.message(seq)))
          .isEqualTo(TEMPLATE.toBuilder().setSeq(seq).build());
    }
  }

  @Test
  void aPushWithoutSeqIsTheCanonicalEncoding() {
    byte[] expected =
        Packet.newBuilder()
            .setCommand(PacketCommand.PC_MESSAGE)
            .setContent(TEMPLATE.toByteString())
            .build()
            .toByteArray();
    assertThat(Packets.message(TEMPLATE)).isEqualTo(expected);
  }

  @Test
  void aReplyIsTheCanonicalEncodingOfItsFields() throws Exception {
    Packet request =
        Packet.newBuilder().setRequestId("r-42").setCommand(PacketCommand.PC_SEND).build();
    byte[] encoded = Packets.reply(request, 10201, "not in group", ByteString.copyFromUtf8("d"));
    byte[] expected =
        Packet.newBuilder()
            .setRequestId("r-42")
            .setCommand(PacketCommand.PC_SEND)
            .setContent(
                Reply.newBuilder()
                    .setCode(10201)
                    .setMessage("not in group")
                    .setData(ByteString.copyFromUtf8("d"))
                    .build()
                    .toByteString())
            .build()
            .toByteArray();
    assertThat(encoded).isEqualTo(expected);
    // A request without id or command (an unknown one) still gets a decodable reply.
    Packet bare = Packet.parseFrom(Packets.reply(Packet.getDefaultInstance(), 10001, "x", null));
    assertThat(Reply.parseFrom(bare.getContent()).getCode()).isEqualTo(10001);
  }
}
