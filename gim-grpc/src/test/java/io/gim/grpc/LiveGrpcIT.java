package io.gim.grpc;

import static io.gim.grpc.InProcessApi.assertFails;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.gim.core.GimServer;
import io.gim.core.ListenSpec;
import io.gim.grpc.logic.DeviceIntServiceGrpc;
import io.gim.grpc.logic.HeartbeatRequest;
import io.gim.grpc.logic.MessageExtServiceGrpc;
import io.gim.grpc.logic.MessageIntServiceGrpc;
import io.gim.grpc.logic.OfflineRequest;
import io.gim.grpc.logic.PushRoomRequest;
import io.gim.grpc.logic.PushToUsersRequest;
import io.gim.grpc.logic.RoomIntServiceGrpc;
import io.gim.grpc.logic.SubscribeRoomRequest;
import io.gim.grpc.logic.SyncRequest;
import io.gim.protocol.Message;
import io.gim.protocol.PacketCommand;
import io.gim.protocol.Reply;
import io.gim.testkit.RecordingClient;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The gRPC API over real ports beside a long-connection (TCP) server: a backend's gRPC calls reach
 * devices connected over TCP, and what they stored is what a gRPC client syncs.
 */
@Timeout(60)
class LiveGrpcIT {
  private final List<AutoCloseable> resources = new ArrayList<>();
  private final GimServer server;
  private final GrpcApi api;
  private final ManagedChannel external;
  private final ManagedChannel internal;

  LiveGrpcIT() {
    server = GimServer.builder().auth(InProcessApi.AUTH).tcp("127.0.0.1", 0).build();
    server.start().join();
    api = GrpcApi.builder(server).external("127.0.0.1", 0).internal("127.0.0.1", 0).build();
    api.start().join();
    external = channel(api.activePort(GrpcApi.Side.EXTERNAL));
    internal = channel(api.activePort(GrpcApi.Side.INTERNAL));
  }

  private ManagedChannel channel(int port) {
    ManagedChannel c = ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    resources.add(c::shutdownNow);
    return c;
  }

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable r : resources) {
      r.close();
    }
    api.close();
    server.close();
  }

  private RecordingClient device(long user, long device) throws Exception {
    RecordingClient c = RecordingClient.tcp("127.0.0.1", server.activePort(ListenSpec.Kind.TCP));
    resources.add(c);
    return c.assertSignedIn(user, device, InProcessApi.token(user, device));
  }

  @Test
  void pushToUsersOverGrpcReachesATcpDeviceAndSyncOverGrpcReturnsItAfterwards() throws Exception {
    RecordingClient phone = device(3, 1);

    long messageId =
        MessageIntServiceGrpc.newBlockingStub(internal)
            .pushToUsers(
                PushToUsersRequest.newBuilder()
                    .addUserIds(3)
                    .setCommandValue(1)
                    .setContent(ByteString.copyFromUtf8("over grpc"))
                    .setIsPersist(true)
                    .build())
            .getMessageId();

    Message pushed = phone.awaitMessage(m -> m.getMessageId() == messageId, "the push");
    assertThat(pushed.getContent().toStringUtf8()).isEqualTo("over grpc");
    var page =
        InProcessApi.with(
                MessageExtServiceGrpc.newBlockingStub(external),
                InProcessApi.credentials("3", "2", InProcessApi.token(3, 2)))
            .sync(SyncRequest.getDefaultInstance());
    assertThat(page.getMessagesList()).containsExactly(pushed);
  }

  @Test
  void subscribeRoomMovesATcpDeviceIntoARoomAndPushRoomReachesIt() throws Exception {
    RecordingClient phone = device(3, 1);
    RecordingClient other = device(4, 1);
    var rooms = RoomIntServiceGrpc.newBlockingStub(internal);

    rooms.subscribeRoom(
        SubscribeRoomRequest.newBuilder().setUserId(3).setDeviceId(1).setRoomId(77).build());
    rooms.pushRoom(
        PushRoomRequest.newBuilder()
            .setRoomId(77)
            .setCommandValue(3)
            .setContent(ByteString.copyFromUtf8("room news"))
            .build());

    Message m = phone.awaitMessage(x -> x.getRoomId() == 77, "the room push");
    assertThat(m.getContent().toStringUtf8()).isEqualTo("room news");
    assertThat(m.getSeq()).isZero();
    // A marker sent to the other device after the room push: once it arrives, the room push would
    // have too, had it been sent there.
    MessageIntServiceGrpc.newBlockingStub(internal)
        .pushToUsers(
            PushToUsersRequest.newBuilder()
                .addUserIds(4)
                .setContent(ByteString.copyFromUtf8("marker"))
                .build());
    other.awaitMessage(x -> x.getContent().toStringUtf8().equals("marker"), "the marker");
    assertThat(other.messages()).noneMatch(x -> x.getRoomId() == 77);
  }

  @Test
  void heartbeatSeesATcpDeviceOnlineAndOfflineSignsItOut() throws Exception {
    RecordingClient phone = device(3, 1);
    var devices = DeviceIntServiceGrpc.newBlockingStub(internal);

    devices.heartbeat(HeartbeatRequest.newBuilder().setUserId(3).setDeviceId(1).build());
    assertFails(
        () -> devices.heartbeat(HeartbeatRequest.newBuilder().setUserId(3).setDeviceId(2).build()),
        Status.Code.NOT_FOUND,
        10101);

    devices.offline(OfflineRequest.newBuilder().setUserId(3).setDeviceId(1).build());

    var kick = phone.awaitPacket(p -> p.getCommand() == PacketCommand.PC_KICK_OUT, "kick-out");
    assertThat(Reply.parseFrom(kick.getContent()).getCode()).isEqualTo(10000);
    phone.awaitClosed();
  }
}
