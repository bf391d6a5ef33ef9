package io.gim.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.gim.protocol.Message;
import io.gim.protocol.MessageCommand;
import io.gim.protocol.PacketCommand;
import io.gim.protocol.Reply;
import io.gim.protocol.SendRequest;
import io.gim.protocol.SyncReply;
import io.gim.protocol.SyncRequest;
import io.gim.spi.store.Group;
import io.gim.spi.store.GroupMember;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class SenderTest {
  private final EngineHarness h = new EngineHarness();

  private static Reply send(EngineHarness.Client c, SendRequest.Builder request) {
    return c.call(PacketCommand.PC_SEND, request.build());
  }

  @Test
  void aClientMsgIdOver255BytesIsABadRequestOnEveryTarget() {
    EngineHarness.Client c = h.connect();
    c.signIn(1, 1);
    long group =
        h.stores
            .groups()
            .create(Group.named("g"), List.of(GroupMember.of(1)))
            .toCompletableFuture()
            .join();
    // 128 two-byte characters: 128 chars but 256 UTF-8 bytes.
    String tooLong = "é".repeat(128);
    String longest = "é".repeat(127) + "x";
    assertThat(longest.getBytes(StandardCharsets.UTF_8)).hasSize(255);

    for (SendRequest.Builder target :
        List.of(
            SendRequest.newBuilder().setToUserId(2),
            SendRequest.newBuilder().setGroupId(group),
            SendRequest.newBuilder().setRoomId(9))) {
      Reply refused = send(c, target.clone().setClientMsgId(tooLong));
      assertThat(refused.getCode()).as(target.toString()).isEqualTo(10001);
      assertThat(send(c, target.clone().setClientMsgId(longest)).getCode())
          .as(target.toString())
          .isZero();
    }
  }

  @Test
  void roomSendsOfTwoUsersWithTheSameDeviceIdAndClientMsgIdAreTwoSends() {
    EngineHarness.Client alice = h.connect();
    alice.signIn(1, 1);
    EngineHarness.Client bob = h.connect();
    bob.signIn(2, 1);
    EngineHarness.Client listener = h.connect();
    listener.signIn(3, 1);
    listener.subscribeRoom(9);

    send(alice, SendRequest.newBuilder().setRoomId(9).setClientMsgId("m-1"));
    send(bob, SendRequest.newBuilder().setRoomId(9).setClientMsgId("m-1"));

    assertThat(listener.pushes()).hasSize(2);
  }

  @Test
  void aRoomSendSkipsOnlyTheSendingDeviceNotTheSameDeviceIdOfAnotherUser() {
    EngineHarness.Client alice = h.connect();
    alice.signIn(1, 1);
    EngineHarness.Client bob = h.connect();
    bob.signIn(2, 1);
    alice.subscribeRoom(9);
    bob.subscribeRoom(9);

    send(alice, SendRequest.newBuilder().setRoomId(9).setContent(ByteString.copyFromUtf8("x")));

    assertThat(alice.pushes()).isEmpty();
    assertThat(bob.pushes())
        .singleElement()
        .extracting(Message::getCommand)
        .isEqualTo(MessageCommand.MC_ROOM_MESSAGE);
  }

  @Test
  void aUserSendReachesTheSendersOtherDevicesButNotTheSameDeviceIdOfTheReceiver() {
    EngineHarness.Client alicePhone = h.connect();
    alicePhone.signIn(1, 1);
    EngineHarness.Client aliceLaptop = h.connect();
    aliceLaptop.signIn(1, 2);
    EngineHarness.Client bobPhone = h.connect();
    bobPhone.signIn(2, 1);

    send(alicePhone, SendRequest.newBuilder().setToUserId(2).setClientMsgId("c1"));

    assertThat(alicePhone.pushes()).isEmpty();
    assertThat(aliceLaptop.pushes()).hasSize(1);
    assertThat(bobPhone.pushes()).hasSize(1);
  }

  @Test
  void hostRoomPushesMarkedPriorityTakeThePriorityLane() {
    EngineHarness.Client c = h.connect();
    c.signIn(1, 1);
    c.subscribeRoom(9);

    h.engine.messages().pushToRoom(9, 1, new byte[] {1}, false).toCompletableFuture().join();
    h.engine.messages().pushToRoom(9, 1, new byte[] {2}, true).toCompletableFuture().join();
    h.runAll(); // room writes happen on the subscriber's connection thread

    List<TestConnection.Sent> pushes =
        c.connection.sent().stream()
            .filter(s -> s.packet().getCommand() == PacketCommand.PC_MESSAGE)
            .toList();
    assertThat(pushes).extracting(TestConnection.Sent::priority).containsExactly(false, true);
  }

  @Test
  void hostPushesReachEveryDeviceOfTheUsers() throws Exception {
    EngineHarness.Client phone = h.connect();
    phone.signIn(1, 1);
    EngineHarness.Client laptop = h.connect();
    laptop.signIn(1, 2);
    EngineHarness.Client other = h.connect();
    other.signIn(2, 1);

    h.engine
        .messages()
        .pushToUsers(List.of(1L), 110, new byte[] {7}, true)
        .toCompletableFuture()
        .join();

    assertThat(phone.pushes()).singleElement().extracting(Message::getSeq).isEqualTo(1L);
    assertThat(laptop.pushes()).hasSize(1);
    assertThat(other.pushes()).isEmpty();
    SyncReply page =
        SyncReply.parseFrom(
            other.call(PacketCommand.PC_SYNC, SyncRequest.getDefaultInstance()).getData());
    assertThat(page.getMessagesList()).isEmpty();
  }
}
