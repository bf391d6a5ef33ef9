package io.gim.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.gim.client.ReceivedMessage;
import io.gim.client.ReceivedMessage.Kind;
import io.gim.protocol.GroupMessagePush;
import io.gim.protocol.Message;
import io.gim.protocol.MessageCommand;
import io.gim.protocol.RoomMessagePush;
import io.gim.protocol.User;
import io.gim.protocol.UserMessagePush;
import org.junit.jupiter.api.Test;

class ReceivedMessagesTest {

  private static final User BO =
      User.newBuilder()
          .setUserId(43)
          .setDeviceId(2)
          .setNickname("bo")
          .setAvatarUrl("https://a/bo.png")
          .setExtra("{}")
          .build();
  private static final ByteString HI = ByteString.copyFromUtf8("hi");

  @Test
  void decodesAUserMessageIntoItsSenderTargetAndPayload() {
    UserMessagePush push =
        UserMessagePush.newBuilder().setFromUser(BO).setToUserId(42).setContent(HI).build();

    ReceivedMessage m =
        ReceivedMessages.of(wire(MessageCommand.MC_USER_MESSAGE, 5, push.toByteString()));

    assertThat(m.kind()).isEqualTo(Kind.USER);
    assertThat(m.command()).isEqualTo(1);
    assertThat(m.from()).contains(new io.gim.client.User(43, 2, "bo", "https://a/bo.png", "{}"));
    assertThat(m.toUserId()).isEqualTo(42);
    assertThat(m.content()).isEqualTo(HI.toByteArray());
    assertThat(m.seq()).isEqualTo(5);
    assertThat(m.messageId()).isEqualTo(1005);
    assertThat(m.createdAt()).isEqualTo(1_700_000_000L);
  }

  @Test
  void decodesAGroupMessageIntoItsGroup() {
    GroupMessagePush push =
        GroupMessagePush.newBuilder().setFromUser(BO).setGroupId(77).setContent(HI).build();

    ReceivedMessage m =
        ReceivedMessages.of(wire(MessageCommand.MC_GROUP_MESSAGE, 6, push.toByteString()));

    assertThat(m.kind()).isEqualTo(Kind.GROUP);
    assertThat(m.groupId()).isEqualTo(77);
    assertThat(m.content()).isEqualTo(HI.toByteArray());
  }

  @Test
  void takesARoomFromTheMessageWhenThePushLeavesItOut() {
    RoomMessagePush push = RoomMessagePush.newBuilder().setFromUser(BO).setContent(HI).build();
    Message wire =
        wire(MessageCommand.MC_ROOM_MESSAGE, 0, push.toByteString()).toBuilder()
            .setRoomId(9)
            .build();

    ReceivedMessage m = ReceivedMessages.of(wire);

    assertThat(m.kind()).isEqualTo(Kind.ROOM);
    assertThat(m.roomId()).isEqualTo(9);
    assertThat(m.inbox()).isFalse();
  }

  @Test
  void passesAHostDefinedCommandThroughRaw() {
    Message wire =
        Message.newBuilder()
            .setCommandValue(110)
            .setSeq(7)
            .setContent(HI)
            .setMessageId(1007)
            .build();

    ReceivedMessage m = ReceivedMessages.of(wire);

    assertThat(m.kind()).isEqualTo(Kind.OTHER);
    assertThat(m.command()).isEqualTo(110);
    assertThat(m.content()).isEqualTo(HI.toByteArray());
    assertThat(m.from()).isEmpty();
  }

  @Test
  void deliversAPayloadThatDoesNotDecodeRawRatherThanLeavingAHole() {
    ByteString broken =
        ByteString.copyFrom(new byte[] {0x0a, 0x7f}); // a field longer than the rest

    ReceivedMessage m = ReceivedMessages.of(wire(MessageCommand.MC_USER_MESSAGE, 8, broken));

    assertThat(m.kind()).isEqualTo(Kind.OTHER);
    assertThat(m.command()).isEqualTo(1);
    assertThat(m.seq()).isEqualTo(8);
    assertThat(m.content()).isEqualTo(broken.toByteArray());
  }

  private static Message wire(MessageCommand command, long seq, ByteString content) {
    return Message.newBuilder()
        .setCommand(command)
        .setSeq(seq)
        .setMessageId(1000 + seq)
        .setCreatedAt(1_700_000_000L)
        .setContent(content)
        .build();
  }
}
