package io.gim.transport.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.gim.client.GimClient;
import io.gim.client.GimClientBuilder;
import io.gim.client.MessageListener;
import io.gim.client.ReceivedMessage;
import io.gim.core.GimServer;
import io.gim.core.ListenSpec;
import io.gim.protocol.GroupMessagePush;
import io.gim.protocol.Message;
import io.gim.protocol.MessageACKRequest;
import io.gim.protocol.MessageCommand;
import io.gim.protocol.Packet;
import io.gim.protocol.PacketCommand;
import io.gim.protocol.Reply;
import io.gim.protocol.RoomMessagePush;
import io.gim.protocol.SendReply;
import io.gim.protocol.SendRequest;
import io.gim.protocol.SubscribeRoomRequest;
import io.gim.protocol.SyncReply;
import io.gim.protocol.SyncRequest;
import io.gim.protocol.UserMessagePush;
import io.gim.spi.AuthProvider;
import io.gim.spi.AuthResult;
import io.gim.spi.store.Group;
import io.gim.spi.store.GroupMember;
import io.gim.testkit.ChaosProxy;
import io.gim.testkit.RecordingClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The behaviour of the server over real sockets, run once per transport by its subclasses. Each
 * test starts its own server on port 0 with in-memory stores.
 */
@Timeout(60)
@ExtendWith(NettyLeakCheck.class)
abstract class AbstractEndToEndIT {
  /** Accepts the token {@code "token-<userId>"}; "custom" is refused with code 10310. */
  static final AuthProvider AUTH =
      (userId, deviceId, token) -> {
        if (token.equals("custom")) {
          return CompletableFuture.completedFuture(AuthResult.denied(10310, "banned"));
        }
        return CompletableFuture.completedFuture(
            token.equals("token-" + userId)
                ? AuthResult.allowed()
                : AuthResult.denied("bad token"));
      };

  private final List<AutoCloseable> resources = new ArrayList<>();
  GimServer server;

  /** Connects a recording client to the server's listener of this suite's transport. */
  abstract RecordingClient connect(GimServer server) throws Exception;

  /** The listener kind this suite exercises. */
  abstract ListenSpec.Kind kind();

  /** A gim-client builder aimed at {@code port} of 127.0.0.1 with this suite's transport. */
  abstract GimClientBuilder clientTo(int port);

  GimClient sdkClient(long user, long device, MessageListener listener, int port) {
    GimClient c =
        clientTo(port)
            .credentials(user, device, "token-" + user)
            .listener(listener)
            .reconnect(Duration.ofMillis(20), Duration.ofMillis(200))
            .build();
    resources.add(c);
    return c;
  }

  /** Records what a gim-client delivers, in order. */
  static final class Recorder implements MessageListener {
    final List<ReceivedMessage> delivered = new java.util.concurrent.CopyOnWriteArrayList<>();
    final java.util.concurrent.atomic.AtomicInteger connects =
        new java.util.concurrent.atomic.AtomicInteger();

    @Override
    public void onMessage(ReceivedMessage m) {
      delivered.add(m);
    }

    @Override
    public void onConnected() {
      connects.incrementAndGet();
    }

    List<Long> seqs() {
      return delivered.stream().map(ReceivedMessage::seq).toList();
    }
  }

  GimServer start(Consumer<GimServer.Builder> customize) {
    GimServer.Builder b =
        GimServer.builder().auth(AUTH).tcp("127.0.0.1", 0).websocket("127.0.0.1", 0, "/ws");
    customize.accept(b);
    GimServer s = b.build();
    resources.add(s);
    s.start().join();
    return s;
  }

  RecordingClient client() throws Exception {
    RecordingClient c = connect(server);
    resources.add(c);
    return c;
  }

  RecordingClient signedIn(long user, long device) throws Exception {
    return client().assertSignedIn(user, device, "token-" + user);
  }

  @AfterEach
  void closeEverything() throws Exception {
    for (int i = resources.size() - 1; i >= 0; i--) {
      resources.get(i).close();
    }
  }

  void startDefault() {
    server = start(b -> {});
  }

  static SendReply sendReply(Reply reply) throws InvalidProtocolBufferException {
    assertThat(reply.getCode()).as("send reply: %s", reply.getMessage()).isZero();
    return SendReply.parseFrom(reply.getData());
  }

  static SyncReply syncReply(Reply reply) throws InvalidProtocolBufferException {
    assertThat(reply.getCode()).as("sync reply: %s", reply.getMessage()).isZero();
    return SyncReply.parseFrom(reply.getData());
  }

  static SendRequest toUser(long user, String text, String clientMsgId) {
    return SendRequest.newBuilder()
        .setToUserId(user)
        .setContent(ByteString.copyFromUtf8(text))
        .setClientMsgId(clientMsgId)
        .build();
  }

  static SyncRequest sync(long seq, int limit) {
    return SyncRequest.newBuilder().setSeq(seq).setLimit(limit).build();
  }

  static String text(Message m) throws InvalidProtocolBufferException {
    return switch (m.getCommand()) {
      case MC_USER_MESSAGE -> UserMessagePush.parseFrom(m.getContent()).getContent().toStringUtf8();
      case MC_GROUP_MESSAGE ->
          GroupMessagePush.parseFrom(m.getContent()).getContent().toStringUtf8();
      case MC_ROOM_MESSAGE -> RoomMessagePush.parseFrom(m.getContent()).getContent().toStringUtf8();
      default -> m.getContent().toStringUtf8();
    };
  }

  // 1. Sign-in

  @Test
  void signsInWithATokenTheProviderAccepts() throws Exception {
    startDefault();
    Reply reply = client().signIn(1, 11, "token-1");
    assertThat(reply.getCode()).isZero();
    await().until(() -> server.devices().online(1).toCompletableFuture().join().size() == 1);
  }

  @Test
  void deniedSignInGetsTheProvidersCodeAndKeepsTheConnection() throws Exception {
    startDefault();
    RecordingClient c = client();
    assertThat(c.signIn(1, 11, "wrong").getCode()).isEqualTo(10000);
    assertThat(c.signIn(1, 11, "custom").getCode()).isEqualTo(10310);
    assertThat(c.isClosed()).isFalse();
    assertThat(c.signIn(1, 11, "token-1").getCode()).isZero();
  }

  @Test
  void closesAfterThreeRefusedSignIns() throws Exception {
    startDefault();
    RecordingClient c = client();
    c.signIn(1, 11, "a");
    c.signIn(1, 11, "b");
    assertThat(c.signIn(1, 11, "c").getCode()).isEqualTo(10000);
    c.awaitClosed();
  }

  @Test
  void everyCommandBeforeSignInGetsUnauthorized() throws Exception {
    startDefault();
    RecordingClient c = client();
    assertThat(c.call(PacketCommand.PC_HEARTBEAT, Reply.getDefaultInstance()).getCode())
        .isEqualTo(10000);
    assertThat(c.call(PacketCommand.PC_SYNC, sync(0, 0)).getCode()).isEqualTo(10000);
    assertThat(c.call(PacketCommand.PC_SEND, toUser(2, "x", "")).getCode()).isEqualTo(10000);
    assertThat(
            c.call(
                    PacketCommand.PC_SUBSCRIBE_ROOM,
                    SubscribeRoomRequest.newBuilder().setRoomId(1).build())
                .getCode())
        .isEqualTo(10000);
  }

  @Test
  void closesAConnectionThatDoesNotSignInWithinTheTimeout() throws Exception {
    server = start(b -> b.signInTimeout(Duration.ofMillis(300)));
    RecordingClient idle = client();
    RecordingClient signed = signedIn(1, 11);
    idle.awaitClosed();
    assertThat(signed.isClosed()).isFalse();
  }

  @Test
  void closesARawConnectionThatSendsNothingWithinTheSignInTimeout() throws Exception {
    server = start(b -> b.signInTimeout(Duration.ofMillis(500)));
    RecordingClient signed = signedIn(1, 11);
    try (Socket silent = rawSocket()) {
      assertClosedByServer(silent);
    }
    assertThat(signed.isClosed()).isFalse();
  }

  @Test
  void keepsASignedInConnectionPastTheSignInTimeout() throws Exception {
    server = start(b -> b.signInTimeout(Duration.ofMillis(300)));
    RecordingClient signed = signedIn(1, 11);
    // Accepted after the signed-in one: once it is closed, the signed-in one's timeout is past too.
    RecordingClient later = client();
    later.awaitClosed();
    assertThat(heartbeat(signed, "after-timeout")).isTrue();
    assertThat(signed.isClosed()).isFalse();
  }

  @Test
  void secondSignInOfTheSameDeviceKicksTheOlderConnection() throws Exception {
    startDefault();
    RecordingClient older = signedIn(1, 11);
    RecordingClient newer = signedIn(1, 11);
    Packet kick = older.awaitPacket(p -> p.getCommand() == PacketCommand.PC_KICK_OUT, "kick-out");
    assertThat(Reply.parseFrom(kick.getContent()).getCode()).isEqualTo(10301);
    older.awaitClosed();
    // The newer connection owns the device now: messages reach it.
    signedIn(2, 21).call(PacketCommand.PC_SEND, toUser(1, "hi", ""));
    assertThat(text(newer.awaitMessage(1))).isEqualTo("hi");
    assertThat(server.devices().online(1).toCompletableFuture().join()).hasSize(1);
  }

  // 2. Heartbeat and idle

  @Test
  void echoesHeartbeatsAsReceived() throws Exception {
    startDefault();
    RecordingClient c = signedIn(1, 11);
    Packet beat =
        Packet.newBuilder()
            .setRequestId("hb-1")
            .setCommand(PacketCommand.PC_HEARTBEAT)
            .setContent(ByteString.copyFromUtf8("ping"))
            .build();
    c.sendPacket(beat);
    assertThat(c.awaitPacket(p -> p.getRequestId().equals("hb-1"), "heartbeat echo"))
        .isEqualTo(beat);
  }

  @Test
  void closesAConnectionIdlePastTheReadTimeout() throws Exception {
    server = start(b -> b.readIdleTimeout(Duration.ofMillis(400)));
    RecordingClient c = signedIn(1, 11);
    c.awaitClosed();
    await().until(() -> server.connectionCount() == 0);
  }

  @Test
  void aHeartbeatRestartsTheReadIdleTimeout() throws Exception {
    server = start(b -> b.readIdleTimeout(Duration.ofSeconds(1)));
    RecordingClient beating = signedIn(1, 11);
    RecordingClient silent = signedIn(2, 21);
    int[] beats = {0};
    // The beating connection reads a heartbeat every 50 ms until the silent one, which signed in
    // after it, is closed for idleness: reads must have kept the beating one open.
    await()
        .pollInterval(Duration.ofMillis(50))
        .until(() -> heartbeat(beating, "hb-" + ++beats[0]) && silent.isClosed());
    assertThat(beats[0]).isGreaterThan(1);
    assertThat(heartbeat(beating, "after-idle")).isTrue();
    assertThat(beating.isClosed()).isFalse();
  }

  @Test
  void closesEveryIdleConnectionWhileOthersKeepReading() throws Exception {
    server = start(b -> b.readIdleTimeout(Duration.ofMillis(500)));
    RecordingClient beating = signedIn(1, 11);
    List<RecordingClient> idle = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      idle.add(signedIn(10 + i, 1));
    }
    int[] beats = {0};
    await()
        .pollInterval(Duration.ofMillis(50))
        .until(
            () ->
                heartbeat(beating, "hb-" + ++beats[0])
                    && idle.stream().allMatch(RecordingClient::isClosed));
    await().until(() -> server.connectionCount() == 1);
    assertThat(heartbeat(beating, "still-here")).isTrue();
  }

  /** Sends a heartbeat and waits for its echo; true once it came back. */
  private static boolean heartbeat(RecordingClient c, String requestId) throws Exception {
    c.sendPacket(
        Packet.newBuilder().setRequestId(requestId).setCommand(PacketCommand.PC_HEARTBEAT).build());
    return c.awaitPacket(p -> p.getRequestId().equals(requestId), "heartbeat echo") != null;
  }

  // 3. Many devices per user

  @Test
  void userMessageReachesEveryDeviceOfTheReceiverAndTheSendersOtherDevices() throws Exception {
    startDefault();
    RecordingClient aPhone = signedIn(1, 11);
    RecordingClient aLaptop = signedIn(1, 12);
    RecordingClient bPhone = signedIn(2, 21);
    RecordingClient bLaptop = signedIn(2, 22);

    SendReply sent = sendReply(aPhone.call(PacketCommand.PC_SEND, toUser(2, "hello", "m1")));

    Message atB = bPhone.awaitMessage(1);
    assertThat(text(atB)).isEqualTo("hello");
    assertThat(atB.getCommand()).isEqualTo(MessageCommand.MC_USER_MESSAGE);
    assertThat(atB.getMessageId()).isEqualTo(sent.getMessageId());
    UserMessagePush push = UserMessagePush.parseFrom(atB.getContent());
    assertThat(push.getFromUser().getUserId()).isEqualTo(1);
    assertThat(push.getFromUser().getDeviceId()).isEqualTo(11);
    assertThat(push.getToUserId()).isEqualTo(2);
    assertThat(text(bLaptop.awaitMessage(1))).isEqualTo("hello");
    assertThat(aLaptop.awaitMessage(sent.getSeq()).getMessageId()).isEqualTo(sent.getMessageId());
    assertThat(aPhone.messages()).as("the sending device has the SendReply instead").isEmpty();

    // Every device can sync it later, with the stored time.
    RecordingClient bTablet = signedIn(2, 23);
    SyncReply page = syncReply(bTablet.call(PacketCommand.PC_SYNC, sync(0, 0)));
    assertThat(page.getMessagesList()).hasSize(1);
    assertThat(page.getMessages(0).getCreatedAt()).isEqualTo(sent.getCreatedAt());
    SyncReply own = syncReply(aPhone.call(PacketCommand.PC_SYNC, sync(0, 0)));
    assertThat(own.getMessagesList()).extracting(Message::getSeq).containsExactly(sent.getSeq());
  }

  // 4. Send to user, group, room; dedupe

  @Test
  void groupSendStoresOneMessageInEveryMembersInbox() throws Exception {
    startDefault();
    long group =
        server
            .groups()
            .create(
                Group.named("team"),
                List.of(GroupMember.of(1), GroupMember.of(2), GroupMember.of(3)))
            .toCompletableFuture()
            .join();
    RecordingClient a = signedIn(1, 11);
    RecordingClient b = signedIn(2, 21);
    RecordingClient outsider = signedIn(9, 91);

    SendRequest toGroup =
        SendRequest.newBuilder()
            .setGroupId(group)
            .setContent(ByteString.copyFromUtf8("standup"))
            .build();
    SendReply sent = sendReply(a.call(PacketCommand.PC_SEND, toGroup));

    Message atB = b.awaitMessage(1);
    assertThat(atB.getCommand()).isEqualTo(MessageCommand.MC_GROUP_MESSAGE);
    assertThat(GroupMessagePush.parseFrom(atB.getContent()).getGroupId()).isEqualTo(group);
    assertThat(atB.getMessageId()).isEqualTo(sent.getMessageId());
    // User 3 is offline: the message waits in the inbox, same stored message.
    RecordingClient c = signedIn(3, 31);
    SyncReply atC = syncReply(c.call(PacketCommand.PC_SYNC, sync(0, 0)));
    assertThat(atC.getMessagesList())
        .extracting(Message::getMessageId)
        .containsExactly(sent.getMessageId());
    assertThat(syncReply(a.call(PacketCommand.PC_SYNC, sync(0, 0))).getMessagesList()).hasSize(1);

    assertThat(outsider.call(PacketCommand.PC_SEND, toGroup).getCode()).isEqualTo(10201);
    SendRequest unknown = toGroup.toBuilder().setGroupId(group + 1000).build();
    assertThat(a.call(PacketCommand.PC_SEND, unknown).getCode()).isEqualTo(10220);
  }

  @Test
  void roomSendReachesCurrentSubscribersOnlyAndStoresNothing() throws Exception {
    startDefault();
    RecordingClient a = signedIn(1, 11);
    RecordingClient b = signedIn(2, 21);
    RecordingClient notInRoom = signedIn(3, 31);
    assertThat(
            a.call(
                    PacketCommand.PC_SUBSCRIBE_ROOM,
                    SubscribeRoomRequest.newBuilder().setRoomId(7).build())
                .getCode())
        .isZero();
    assertThat(
            b.call(
                    PacketCommand.PC_SUBSCRIBE_ROOM,
                    SubscribeRoomRequest.newBuilder().setRoomId(7).build())
                .getCode())
        .isZero();

    SendRequest toRoom =
        SendRequest.newBuilder().setRoomId(7).setContent(ByteString.copyFromUtf8("live")).build();
    SendReply sent = sendReply(a.call(PacketCommand.PC_SEND, toRoom));
    assertThat(sent.getSeq()).isZero();

    Message atB = b.awaitMessage(m -> m.getRoomId() == 7, "room message");
    assertThat(atB.getSeq()).isZero();
    assertThat(atB.getCommand()).isEqualTo(MessageCommand.MC_ROOM_MESSAGE);
    assertThat(atB.getCreatedAt()).isEqualTo(sent.getCreatedAt());
    assertThat(atB.getMessageId()).isEqualTo(sent.getMessageId());
    assertThat(text(atB)).isEqualTo("live");
    // A marker after the room message proves the outsider and the sender got nothing before it.
    server
        .messages()
        .pushToUsers(List.of(1L, 3L), 200, new byte[] {1}, false)
        .toCompletableFuture()
        .join();
    notInRoom.awaitMessage(m -> m.getCommandValue() == 200, "marker");
    a.awaitMessage(m -> m.getCommandValue() == 200, "marker");
    assertThat(notInRoom.messages()).extracting(Message::getCommandValue).containsExactly(200);
    assertThat(a.messages()).extracting(Message::getCommandValue).containsExactly(200);
    assertThat(syncReply(b.call(PacketCommand.PC_SYNC, sync(0, 0))).getMessagesList()).isEmpty();
  }

  @Test
  void theSameClientMsgIdFromTheSameDeviceIsStoredOnceAndAnsweredWithTheFirstReply()
      throws Exception {
    startDefault();
    RecordingClient a = signedIn(1, 11);
    RecordingClient b = signedIn(2, 21);
    SendReply first = sendReply(a.call(PacketCommand.PC_SEND, toUser(2, "once", "cm-1")));
    SendReply again = sendReply(a.call(PacketCommand.PC_SEND, toUser(2, "once", "cm-1")));
    assertThat(again).isEqualTo(first);
    // Retried from a new connection of the same device: still the first reply.
    RecordingClient aAgain = signedIn(1, 11);
    assertThat(sendReply(aAgain.call(PacketCommand.PC_SEND, toUser(2, "once", "cm-1"))))
        .isEqualTo(first);
    // Another device may use the same key for its own message.
    RecordingClient a2 = signedIn(1, 12);
    SendReply other = sendReply(a2.call(PacketCommand.PC_SEND, toUser(2, "other", "cm-1")));
    assertThat(other.getMessageId()).isNotEqualTo(first.getMessageId());

    SyncReply atB = syncReply(b.call(PacketCommand.PC_SYNC, sync(0, 0)));
    assertThat(atB.getMessagesList())
        .extracting(AbstractEndToEndIT::text)
        .containsExactly("once", "other");

    // Rooms store nothing, yet a retried room send is answered with the first reply too.
    SendRequest toRoom =
        SendRequest.newBuilder()
            .setRoomId(5)
            .setContent(ByteString.copyFromUtf8("r"))
            .setClientMsgId("room-1")
            .build();
    SendReply r1 = sendReply(a2.call(PacketCommand.PC_SEND, toRoom));
    assertThat(sendReply(a2.call(PacketCommand.PC_SEND, toRoom))).isEqualTo(r1);
  }

  @Test
  void sendWithoutExactlyOneTargetIsABadRequest() throws Exception {
    startDefault();
    RecordingClient a = signedIn(1, 11);
    assertThat(
            a.call(
                    PacketCommand.PC_SEND,
                    SendRequest.newBuilder().setContent(ByteString.copyFromUtf8("x")).build())
                .getCode())
        .isEqualTo(10001);
    assertThat(
            a.call(
                    PacketCommand.PC_SEND,
                    SendRequest.newBuilder().setToUserId(2).setGroupId(3).build())
                .getCode())
        .isEqualTo(10001);
  }

  // 5. Sync and ack

  @Test
  void syncPagesWithExactHasMoreAndAServerCap() throws Exception {
    server = start(b -> b.syncLimits(3, 4));
    RecordingClient a = signedIn(1, 11);
    for (int i = 1; i <= 8; i++) {
      sendReply(a.call(PacketCommand.PC_SEND, toUser(2, "m" + i, "")));
    }
    RecordingClient b = signedIn(2, 21);
    SyncReply p1 = syncReply(b.call(PacketCommand.PC_SYNC, sync(0, 0)));
    assertThat(p1.getMessagesList()).extracting(Message::getSeq).containsExactly(1L, 2L, 3L);
    assertThat(p1.getHasMore()).isTrue();
    SyncReply p2 = syncReply(b.call(PacketCommand.PC_SYNC, sync(3, 100)));
    assertThat(p2.getMessagesList()).extracting(Message::getSeq).containsExactly(4L, 5L, 6L, 7L);
    assertThat(p2.getHasMore()).isTrue();
    SyncReply p3 = syncReply(b.call(PacketCommand.PC_SYNC, sync(7, 1)));
    assertThat(p3.getMessagesList()).extracting(Message::getSeq).containsExactly(8L);
    assertThat(p3.getHasMore()).as("a full page holding the last message").isFalse();
    assertThat(syncReply(b.call(PacketCommand.PC_SYNC, sync(8, 0))).getMessagesList()).isEmpty();
    assertThat(p1.getEpoch()).isNotZero().isEqualTo(p2.getEpoch()).isEqualTo(p3.getEpoch());
  }

  @Test
  void aSyncPageNeverOutgrowsTheFrameLimitSoLargeMessagesStillArrive() throws Exception {
    int maxFrame = 64 * 1024;
    server = start(b -> b.maxFrameBytes(maxFrame));
    RecordingClient a = signedIn(1, 11);
    String big = "x".repeat(20 * 1024);
    for (int i = 1; i <= 10; i++) {
      sendReply(a.call(PacketCommand.PC_SEND, toUser(2, i + big, "")));
    }
    // An SDK client with the same frame limit would close on an oversized page and loop forever
    // on reconnect; it must get every message, paged within the limit.
    Recorder bob = new Recorder();
    GimClient b =
        clientTo(port())
            .credentials(2, 21, "token-2")
            .listener(bob)
            .maxFrameBytes(maxFrame)
            .syncPageSize(50)
            .reconnect(Duration.ofMillis(20), Duration.ofMillis(200))
            .build();
    resources.add(b);
    b.connect().get(20, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(bob.seqs()).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);

    RecordingClient raw = signedIn(2, 22);
    // From seq 1 (not 0: that would start after the acks of Bob's first device).
    SyncReply first = syncReply(raw.call(PacketCommand.PC_SYNC, sync(1, 50)));
    assertThat(first.getSerializedSize()).isLessThan(maxFrame);
    assertThat(first.getMessagesCount()).isBetween(1, 8);
    assertThat(first.getHasMore()).isTrue();
    // A message too large for any frame is refused at the door, not stored to block every sync.
    Reply tooBig = a.call(PacketCommand.PC_SEND, toUser(2, "y".repeat(maxFrame - 200), ""));
    assertThat(tooBig.getCode()).isEqualTo(10001);
  }

  @Test
  void syncFromZeroStartsAfterTheUsersLargestDeviceAckAndAcksNeverMoveBack() throws Exception {
    startDefault();
    RecordingClient a = signedIn(1, 11);
    for (int i = 1; i <= 5; i++) {
      sendReply(a.call(PacketCommand.PC_SEND, toUser(2, "m" + i, "")));
    }
    RecordingClient phone = signedIn(2, 21);
    assertThat(
            phone
                .call(PacketCommand.PC_ACK, MessageACKRequest.newBuilder().setDeviceAck(3).build())
                .getCode())
        .isZero();
    assertThat(
            phone
                .call(PacketCommand.PC_ACK, MessageACKRequest.newBuilder().setDeviceAck(1).build())
                .getCode())
        .as("a smaller ack is answered and ignored")
        .isZero();
    RecordingClient newDevice = signedIn(2, 22);
    SyncReply fromAck = syncReply(newDevice.call(PacketCommand.PC_SYNC, sync(0, 0)));
    assertThat(fromAck.getMessagesList()).extracting(Message::getSeq).containsExactly(4L, 5L);
    assertThat(syncReply(newDevice.call(PacketCommand.PC_SYNC, sync(1, 0))).getMessagesList())
        .hasSize(4);
  }

  // 6. Rooms

  @Test
  void switchingRoomsLeavesTheOldOneAndClosingLeavesTheRoom() throws Exception {
    startDefault();
    RecordingClient a = signedIn(1, 11);
    a.call(PacketCommand.PC_SUBSCRIBE_ROOM, SubscribeRoomRequest.newBuilder().setRoomId(1).build());
    assertThat(server.roomCount()).isEqualTo(1);
    a.call(PacketCommand.PC_SUBSCRIBE_ROOM, SubscribeRoomRequest.newBuilder().setRoomId(2).build());
    server.messages().pushToRoom(1, 300, "old".getBytes(), false).toCompletableFuture().join();
    server.messages().pushToRoom(2, 300, "new".getBytes(), false).toCompletableFuture().join();
    Message got = a.awaitMessage(m -> m.getCommandValue() == 300, "room push");
    assertThat(got.getContent().toStringUtf8()).isEqualTo("new");
    assertThat(got.getRoomId()).isEqualTo(2);
    assertThat(server.roomCount()).as("the empty old room is gone").isEqualTo(1);

    a.call(PacketCommand.PC_SUBSCRIBE_ROOM, SubscribeRoomRequest.newBuilder().setRoomId(0).build());
    assertThat(server.roomCount()).isZero();

    RecordingClient b = signedIn(2, 21);
    b.call(PacketCommand.PC_SUBSCRIBE_ROOM, SubscribeRoomRequest.newBuilder().setRoomId(3).build());
    assertThat(server.roomCount()).isEqualTo(1);
    b.close();
    await().until(() -> server.roomCount() == 0);
    assertThat(a.messages()).extracting(m -> m.getContent().toStringUtf8()).containsExactly("new");
  }

  @Test
  void acceptsGimsOwnSubscribeRoomMessageWithTheRoomInFieldThree() throws Exception {
    startDefault();
    RecordingClient a = signedIn(1, 11);
    // GIM's Go client sends {user_id=1, device_id=2, room_id=3, seq=4} with only field 3 set.
    ByteString legacy =
        SubscribeRoomRequest.newBuilder().setLegacyRoomId(42).build().toByteString();
    Packet p =
        Packet.newBuilder()
            .setRequestId("s")
            .setCommand(PacketCommand.PC_SUBSCRIBE_ROOM)
            .setContent(legacy)
            .build();
    a.sendPacket(p);
    assertThat(a.awaitReply("s").getCode()).isZero();
    server.messages().pushToRoom(42, 300, "in".getBytes(), false).toCompletableFuture().join();
    assertThat(a.awaitMessage(m -> m.getRoomId() == 42, "room 42").getContent().toStringUtf8())
        .isEqualTo("in");
  }

  // Host API pushes

  @Test
  void hostPushesReachUsersGroupsAndEveryone() throws Exception {
    startDefault();
    RecordingClient a = signedIn(1, 11);
    RecordingClient b = signedIn(2, 21);
    var stored =
        server
            .messages()
            .pushToUsers(List.of(1L, 2L), 110, "friend".getBytes(), true)
            .toCompletableFuture()
            .join();
    assertThat(stored.seqs()).containsEntry(1L, 1L).containsEntry(2L, 1L);
    assertThat(a.awaitMessage(1).getCommandValue()).isEqualTo(110);
    var live =
        server
            .messages()
            .pushToUsers(List.of(2L), 111, "live".getBytes(), false)
            .toCompletableFuture()
            .join();
    assertThat(live.messageId()).isZero();
    assertThat(b.awaitMessage(m -> m.getCommandValue() == 111, "live").getSeq()).isZero();
    server.messages().pushToAll(130, "all".getBytes()).toCompletableFuture().join();
    a.awaitMessage(m -> m.getCommandValue() == 130, "broadcast");
    b.awaitMessage(m -> m.getCommandValue() == 130, "broadcast");
    long group =
        server
            .groups()
            .create(Group.named("g"), List.of(GroupMember.of(2)))
            .toCompletableFuture()
            .join();
    var toGroup =
        server
            .messages()
            .pushToGroup(group, 120, "upd".getBytes(), true)
            .toCompletableFuture()
            .join();
    assertThat(b.awaitMessage(toGroup.seqs().get(2L)).getCommandValue()).isEqualTo(120);
    assertThat(syncReply(b.call(PacketCommand.PC_SYNC, sync(0, 0))).getMessagesList())
        .extracting(Message::getCommandValue)
        .containsExactly(110, 120);
  }

  // The Java client SDK against the real server

  @Test
  void twoSdkClientsChatAndEachDeviceGetsEveryMessageOnce() throws Exception {
    startDefault();
    Recorder alice = new Recorder();
    Recorder bob = new Recorder();
    GimClient a = sdkClient(1, 11, alice, port());
    GimClient b = sdkClient(2, 21, bob, port());
    a.connect().join();
    b.connect().join();
    var sent = a.sendToUser(2, "hi bob".getBytes(), null).join();
    b.sendToUser(1, "hi alice".getBytes(), null).join();
    // Each device gets the whole conversation once, in seq order: its own sends come back
    // through a sync, the other side's as live pushes.
    await().until(() -> bob.delivered.size() == 2 && alice.delivered.size() == 2);
    assertThat(bob.delivered.get(0).content()).asString().isEqualTo("hi bob");
    assertThat(bob.delivered.get(0).messageId()).isEqualTo(sent.messageId());
    assertThat(bob.seqs()).containsExactly(1L, 2L);
    assertThat(alice.seqs()).containsExactly(1L, 2L);
    assertThat(alice.delivered.get(1).from().orElseThrow().userId()).isEqualTo(2);
    // A new device of Bob's starts after the largest ack of Bob's devices: nothing to redeliver.
    await()
        .until(
            () ->
                syncReply(signedIn(2, 22).call(PacketCommand.PC_SYNC, sync(0, 0)))
                        .getMessagesCount()
                    == 0);
  }

  @Test
  void aClientWhoseConnectionIsCutMidStreamLosesAndDuplicatesNothing() throws Exception {
    startDefault();
    ChaosProxy proxy = new ChaosProxy(port());
    resources.add(proxy);
    Recorder receiver = new Recorder();
    GimClient client = sdkClient(2, 21, receiver, proxy.port());
    client.connect().join();

    int total = 3000;
    CompletableFuture<Void> sending =
        CompletableFuture.runAsync(
            () -> {
              for (int i = 1; i <= total; i++) {
                server
                    .messages()
                    .pushToUsers(List.of(2L), 500, ("m" + i).getBytes(), true)
                    .toCompletableFuture()
                    .join();
              }
            });
    for (int cut = 1; cut <= 3; cut++) {
      int before = receiver.delivered.size();
      await().until(() -> receiver.delivered.size() > before + 100 || sending.isDone());
      proxy.cutAll();
      int connects = cut + 1;
      await().until(() -> receiver.connects.get() >= connects);
    }
    sending.join();
    await().atMost(Duration.ofSeconds(30)).until(() -> receiver.delivered.size() >= total);
    List<Long> expected = java.util.stream.LongStream.rangeClosed(1, total).boxed().toList();
    assertThat(receiver.seqs()).as("every seq once, in order").isEqualTo(expected);
    assertThat(receiver.delivered.get(total - 1).content()).isEqualTo(("m" + total).getBytes());
    assertThat(proxy.acceptedConnections()).isGreaterThanOrEqualTo(4);
  }

  // 7. Bad input affects only its own connection

  @Test
  void unknownCommandsAndUndecodableContentGetBadRequestAndKeepTheConnection() throws Exception {
    startDefault();
    RecordingClient a = signedIn(1, 11);
    a.sendPacket(Packet.newBuilder().setRequestId("u").setCommandValue(99).build());
    assertThat(a.awaitReply("u").getCode()).isEqualTo(10001);
    a.sendPacket(
        Packet.newBuilder().setRequestId("m").setCommand(PacketCommand.PC_MESSAGE).build());
    assertThat(a.awaitReply("m").getCode()).isEqualTo(10001);
    a.sendPacket(
        Packet.newBuilder()
            .setRequestId("g")
            .setCommand(PacketCommand.PC_SYNC)
            .setContent(ByteString.copyFrom(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff}))
            .build());
    assertThat(a.awaitReply("g").getCode()).isEqualTo(10001);
    assertThat(a.call(PacketCommand.PC_SYNC, sync(0, 0)).getCode()).isZero();
  }

  @Test
  void garbageBytesCloseOnlyThatConnection() throws Exception {
    startDefault();
    RecordingClient healthy = signedIn(1, 11);
    RecordingClient bad = signedIn(2, 21);
    bad.sendFrame(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f});
    bad.awaitClosed();
    assertHealthy(healthy);
  }

  @Test
  void anOversizedFrameClosesOnlyThatConnection() throws Exception {
    server = start(b -> b.maxFrameBytes(64 * 1024));
    RecordingClient healthy = signedIn(1, 11);
    RecordingClient bad = signedIn(2, 21);
    sendOversized(bad, 64 * 1024 + 1);
    bad.awaitClosed();
    assertHealthy(healthy);
  }

  /** Sends a frame one byte over the limit, the way this transport carries frames. */
  abstract void sendOversized(RecordingClient client, int size);

  void assertHealthy(RecordingClient healthy) throws Exception {
    assertThat(healthy.isClosed()).isFalse();
    assertThat(healthy.call(PacketCommand.PC_SYNC, sync(0, 0)).getCode()).isZero();
    RecordingClient fresh = signedIn(3, 31);
    sendReply(fresh.call(PacketCommand.PC_SEND, toUser(1, "still here", "")));
    assertThat(text(healthy.awaitMessage(1))).isEqualTo("still here");
  }

  // 8. Slow readers

  @Test
  void aSlowReaderIsClosedWithoutSlowingOthers() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    server =
        start(
            b ->
                b.meterRegistry(registry)
                    .writeBufferWaterMarks(32 * 1024, 64 * 1024)
                    .maxPendingOutboundBytes(256 * 1024)
                    .unwritableTimeout(Duration.ofSeconds(2)));
    RecordingClient slow = signedIn(1, 11);
    RecordingClient fast = signedIn(2, 21);
    pauseReading(slow);
    byte[] payload = new byte[32 * 1024];
    int count = 600; // about 19 MiB per connection: more than any loopback socket buffers
    for (int i = 0; i < count; i++) {
      server
          .messages()
          .pushToUsers(List.of(1L, 2L), 400, payload, false)
          .toCompletableFuture()
          .join();
      int sent = i + 1;
      if (sent % 4 == 0) {
        // Paced by the fast reader (128 KiB in flight at most), so that only the slow one falls
        // behind.
        await()
            .pollInterval(Duration.ofMillis(1))
            .atMost(Duration.ofSeconds(10))
            .until(() -> fast.messageCount() == sent);
      }
    }
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> server.devices().online(1).toCompletableFuture().join().isEmpty());
    assertThat(server.devices().online(2).toCompletableFuture().join()).hasSize(1);
    assertThat(fast.isClosed()).isFalse();
    // What an operator sees: one slow consumer closed, the other connection still open.
    String transport = kind() == ListenSpec.Kind.TCP ? "tcp" : "websocket";
    assertThat(registry.get("gim.slow.consumers").counter().count()).isEqualTo(1);
    assertThat(registry.get("gim.connections").tag("transport", transport).gauge().value())
        .isEqualTo(1);
  }

  /** Makes the client stop reading its socket, so the server's writes back up. */
  abstract void pauseReading(RecordingClient client) throws Exception;

  int port() {
    return server.activePort(kind());
  }

  /** A plain TCP connection to this suite's listener, speaking nothing yet. */
  Socket rawSocket() throws IOException {
    Socket socket = new Socket("127.0.0.1", port());
    resources.add(socket);
    return socket;
  }

  /** Waits (at most the test client's timeout) for the server to close {@code socket}. */
  static void assertClosedByServer(Socket socket) throws IOException {
    socket.setSoTimeout((int) RecordingClient.TIMEOUT.toMillis());
    InputStream in = socket.getInputStream();
    try {
      while (in.read() >= 0) {
        // whatever the server says before it closes (an HTTP error, say) does not matter
      }
    } catch (SocketTimeoutException e) {
      throw new AssertionError("still open after " + RecordingClient.TIMEOUT, e);
    } catch (SocketException e) {
      // reset by the server: closed too
    }
  }
}
