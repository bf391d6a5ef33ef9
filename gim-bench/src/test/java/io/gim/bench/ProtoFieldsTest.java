package io.gim.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.gim.protocol.Message;
import io.gim.protocol.MessageCommand;
import io.gim.protocol.Packet;
import io.gim.protocol.PacketCommand;
import io.gim.protocol.Reply;
import io.gim.protocol.User;
import io.gim.protocol.UserMessagePush;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

class ProtoFieldsTest {
  private final ProtoFields fields = new ProtoFields();

  private static ByteBuf encoded(com.google.protobuf.MessageLite m) {
    // Offset in a larger buffer, as a frame inside a read is.
    ByteBuf buf = Unpooled.buffer();
    buf.writeBytes(new byte[] {9, 9, 9});
    buf.writeBytes(m.toByteArray());
    return buf;
  }

  @Test
  void findsTheCommandAfterALengthDelimitedFieldAndTheStampInsideThreeLevels() {
    byte[] payload = Wire.stamped(123_456_789L, 100);
    Message m =
        Message.newBuilder()
            .setCommand(MessageCommand.MC_USER_MESSAGE)
            .setContent(
                UserMessagePush.newBuilder()
                    .setFromUser(User.newBuilder().setUserId(1).setDeviceId(1))
                    .setToUserId(2)
                    .setContent(ByteString.copyFrom(payload))
                    .build()
                    .toByteString())
            .setSeq(300)
            .setCreatedAt(1_800_000_000L)
            .setMessageId(77)
            .build();
    Packet p =
        Packet.newBuilder()
            .setRequestId("some request")
            .setCommand(PacketCommand.PC_MESSAGE)
            .setContent(m.toByteString())
            .setSeq(5)
            .build();
    ByteBuf buf = encoded(p);
    int end = buf.writerIndex();
    assertThat(fields.varint(buf, 3, end, 2)).isEqualTo(PacketCommand.PC_MESSAGE_VALUE);
    assertThat(fields.varint(buf, 3, end, 4)).isEqualTo(5);
    assertThat(fields.bytes(buf, 3, end, 3)).isTrue();
    assertThat(fields.varint(buf, fields.offset, fields.offset + fields.length, 4)).isEqualTo(300);
    assertThat(fields.bytes(buf, fields.offset, fields.offset + fields.length, 3)).isTrue();
    assertThat(fields.bytes(buf, fields.offset, fields.offset + fields.length, 3)).isTrue();
    assertThat(ByteBufUtil.getBytes(buf, fields.offset, fields.length)).isEqualTo(payload);
    assertThat(buf.getLong(fields.offset)).isEqualTo(123_456_789L);
  }

  @Test
  void readsAReplyCodeAndTellsAnAbsentField() {
    Reply error = Reply.newBuilder().setMessage("no").setCode(10201).build();
    ByteBuf buf = encoded(error);
    assertThat(fields.varint(buf, 3, buf.writerIndex(), 1)).isEqualTo(10201);
    ByteBuf ok = encoded(Reply.newBuilder().setData(ByteString.copyFromUtf8("x")).build());
    assertThat(fields.varint(ok, 3, ok.writerIndex(), 1)).isZero();
    assertThat(fields.bytes(ok, 3, ok.writerIndex(), 2)).isFalse();
    assertThat(fields.bytes(ok, 3, ok.writerIndex(), 3)).isTrue();
    assertThat(fields.length).isEqualTo(1);
  }
}
