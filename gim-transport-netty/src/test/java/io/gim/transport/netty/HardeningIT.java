package io.gim.transport.netty;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.gim.core.GimServer;
import io.gim.core.ListenSpec;
import io.gim.core.memory.InMemoryStores;
import io.gim.protocol.Packet;
import io.gim.protocol.PacketCommand;
import io.gim.protocol.Reply;
import io.gim.protocol.SendRequest;
import io.gim.protocol.SubscribeRoomRequest;
import io.gim.protocol.SyncReply;
import io.gim.protocol.SyncRequest;
import io.gim.spi.Stores;
import io.gim.spi.store.AppendRequest;
import io.gim.spi.store.AppendResult;
import io.gim.spi.store.MessageStore;
import io.gim.spi.store.SyncPage;
import io.gim.testkit.RecordingClient;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Device identity, kick-out, limits and error texts over real sockets: the defects the hardening
 * review found, each seen the way a client sees it.
 */
@Timeout(60)
@ExtendWith(NettyLeakCheck.class)
class HardeningIT {
  private final List<AutoCloseable> resources = new ArrayList<>();
  private GimServer server;

  private void start(Consumer<GimServer.Builder> customize) {
    GimServer.Builder b = GimServer.builder().auth(AbstractEndToEndIT.AUTH).tcp("127.0.0.1", 0);
    customize.accept(b);
    server = b.build();
    resources.add(server);
    server.start().join();
  }

  private RecordingClient signedIn(long user, long device) throws Exception {
    RecordingClient c = RecordingClient.tcp("127.0.0.1", server.activePort(ListenSpec.Kind.TCP));
    resources.add(c);
    return c.assertSignedIn(user, device, "token-" + user);
  }

  @AfterEach
  void closeEverything() throws Exception {
    for (int i = resources.size() - 1; i >= 0; i--) {
      resources.get(i).close();
    }
  }

  private static boolean isKickOut(Packet p) {
    return p.getCommand() == PacketCommand.PC_KICK_OUT;
  }

  @Test
  void usersNumberingTheirDevicesOneTwoThreeNeverKickEachOther() throws Exception {
    start(b -> {});
    RecordingClient alice = signedIn(1, 1);
    RecordingClient bob = signedIn(2, 1);
    RecordingClient carol = signedIn(3, 1);

    Reply sent = bob.call(PacketCommand.PC_SEND, AbstractEndToEndIT.toUser(1, "hi", ""));
    assertThat(sent.getCode()).isZero();

    assertThat(AbstractEndToEndIT.text(alice.awaitMessage(1))).isEqualTo("hi");
    for (RecordingClient c : List.of(alice, bob, carol)) {
      assertThat(c.packets()).noneMatch(HardeningIT::isKickOut);
      assertThat(c.isClosed()).isFalse();
    }
    assertThat(server.connectionCount()).isEqualTo(3);
  }

  @Test
  void aKickedOutConnectionIsNotServedAnyMore() throws Exception {
    start(b -> {});
    RecordingClient older = signedIn(1, 7);
    RecordingClient newer = signedIn(1, 7);
    older.awaitPacket(HardeningIT::isKickOut, "kick-out");
    // Whatever the older connection still writes is never handled: nothing is stored from it.
    // (The write itself may fail: the server closes the connection right after the kick-out.)
    try {
      older.send(PacketCommand.PC_SEND, AbstractEndToEndIT.toUser(2, "late", ""));
    } catch (AssertionError closedAlready) {
      // the socket was gone before the write
    }
    older.awaitClosed();

    assertThat(older.packets()).noneMatch(p -> p.getCommand() == PacketCommand.PC_SEND);
    SyncReply inbox =
        SyncReply.parseFrom(
            newer
                .call(PacketCommand.PC_SYNC, SyncRequest.newBuilder().setFromStart(true).build())
                .getData());
    assertThat(inbox.getMessagesList()).isEmpty();
  }

  @Test
  void aClientMsgIdOverTwoHundredFiftyFiveBytesIsRefusedOnEveryTarget() throws Exception {
    start(b -> {});
    RecordingClient c = signedIn(1, 1);
    String huge = "x".repeat(300_000);
    for (SendRequest.Builder target :
        List.of(
            SendRequest.newBuilder().setRoomId(9),
            SendRequest.newBuilder().setToUserId(2),
            SendRequest.newBuilder().setGroupId(3))) {
      Reply reply = c.call(PacketCommand.PC_SEND, target.setClientMsgId(huge).build());
      assertThat(reply.getCode()).as(target.toString()).isEqualTo(10001);
      assertThat(reply.getMessage()).hasSizeLessThan(200);
    }
  }

  @Test
  void aStoreFailureReachesTheClientAsAFixedTextOnly() throws Exception {
    String secret = "INSERT INTO gim_message failed at db-7.internal:3306 (password=hunter2)";
    start(b -> b.stores(failingStores(secret)));
    RecordingClient c = signedIn(1, 1);

    Reply send = c.call(PacketCommand.PC_SEND, AbstractEndToEndIT.toUser(2, "x", ""));
    Reply sync = c.call(PacketCommand.PC_SYNC, SyncRequest.newBuilder().setSeq(1).build());

    for (Reply r : List.of(send, sync)) {
      assertThat(r.getCode()).isEqualTo(10304);
      assertThat(r.getMessage()).isEqualTo("internal error");
    }
  }

  @Test
  void aRoomSubscriberWithTheSendersDeviceIdButAnotherUserGetsTheRoomMessage() throws Exception {
    start(b -> {});
    RecordingClient alice = signedIn(1, 1);
    RecordingClient bob = signedIn(2, 1);
    for (RecordingClient c : List.of(alice, bob)) {
      assertThat(
              c.call(
                      PacketCommand.PC_SUBSCRIBE_ROOM,
                      SubscribeRoomRequest.newBuilder().setRoomId(5).build())
                  .getCode())
          .isZero();
    }

    alice.call(
        PacketCommand.PC_SEND,
        SendRequest.newBuilder().setRoomId(5).setContent(ByteString.copyFromUtf8("r")).build());

    bob.awaitMessage(m -> m.getRoomId() == 5, "room message");
    // A marker behind it on the same path: once alice has the marker, she would have the message.
    server.messages().pushToRoom(5, 200, new byte[0], false).toCompletableFuture().join();
    alice.awaitMessage(m -> m.getCommandValue() == 200, "marker");
    assertThat(alice.messages()).extracting(m -> m.getCommandValue()).containsExactly(200);
  }

  /** Stores whose message store fails the way a broken database driver would. */
  private static Stores failingStores(String detail) {
    InMemoryStores real = InMemoryStores.create();
    MessageStore failing =
        new MessageStore() {
          @Override
          public CompletionStage<AppendResult> append(AppendRequest request) {
            return CompletableFuture.failedFuture(new IllegalStateException(detail));
          }

          @Override
          public CompletionStage<SyncPage> sync(long userId, long afterSeq, int limit) {
            return CompletableFuture.failedFuture(new IllegalStateException(detail));
          }

          @Override
          public CompletionStage<Void> ack(long userId, long deviceId, long seq) {
            return CompletableFuture.failedFuture(new IllegalStateException(detail));
          }

          @Override
          public CompletionStage<Long> maxAck(long userId) {
            return CompletableFuture.failedFuture(new IllegalStateException(detail));
          }
        };
    return Stores.of(failing, real.groups(), real.devices());
  }
}
