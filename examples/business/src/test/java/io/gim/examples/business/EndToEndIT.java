package io.gim.examples.business;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.gim.client.GimClient;
import io.gim.client.GimClientException;
import io.gim.client.ReceivedMessage;
import io.gim.core.ListenSpec;
import io.gim.grpc.business.AgreeAddFriendPush;
import io.gim.grpc.business.FriendAddRequest;
import io.gim.grpc.business.FriendAgreeRequest;
import io.gim.grpc.business.SendFriendMessageRequest;
import io.gim.grpc.logic.MessageIntServiceGrpc;
import io.gim.grpc.logic.PushToUsersRequest;
import io.gim.grpc.logic.SyncReply;
import io.gim.grpc.logic.SyncRequest;
import io.gim.grpc.logic.UserMessagePush;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two users as a real app would: sign in over gRPC, connect over TCP with the issued tokens,
 * befriend, and talk through FriendExtService while the long connections deliver live.
 */
class EndToEndIT extends ServerFixture {
  private final List<GimClient> clients = new CopyOnWriteArrayList<>();

  @AfterEach
  void closeClients() {
    clients.forEach(GimClient::close);
  }

  private GimClient connect(GrpcTestClient.Session s, List<ReceivedMessage> inbox) {
    GimClient client =
        GimClient.builder()
            .tcp("127.0.0.1", server.activePort(ListenSpec.Kind.TCP))
            .credentials(s.userId(), s.deviceId(), s.token())
            .listener(inbox::add)
            .noReconnect()
            .build();
    clients.add(client);
    client.connect().join();
    return client;
  }

  @Test
  void twoSignedInUsersBefriendAndTheReceiverGetsTheMessageLive() throws Exception {
    GrpcTestClient.Session ann = grpc.newUser("ann");
    GrpcTestClient.Session bob = grpc.newUser("bob");
    List<ReceivedMessage> annInbox = new CopyOnWriteArrayList<>();
    List<ReceivedMessage> bobInbox = new CopyOnWriteArrayList<>();
    connect(ann, annInbox);
    connect(bob, bobInbox);

    ann.friends().add(FriendAddRequest.newBuilder().setFriendId(bob.userId()).build());
    await().until(() -> bobInbox.stream().anyMatch(m -> m.command() == 110));
    bob.friends().agree(FriendAgreeRequest.newBuilder().setUserId(ann.userId()).build());
    await().until(() -> annInbox.stream().anyMatch(m -> m.command() == 111));
    ReceivedMessage agreed = annInbox.stream().filter(m -> m.command() == 111).findFirst().get();
    assertThat(AgreeAddFriendPush.parseFrom(agreed.content()).getNickname()).isEqualTo("bob");

    long id =
        ann.friends()
            .sendMessage(
                SendFriendMessageRequest.newBuilder()
                    .setUserId(bob.userId())
                    .setContent(ByteString.copyFromUtf8("hello bob"))
                    .build())
            .getMessageId();

    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> bobInbox.stream().anyMatch(m -> m.messageId() == id));
    ReceivedMessage live = bobInbox.stream().filter(m -> m.messageId() == id).findFirst().get();
    assertThat(live.kind()).isEqualTo(ReceivedMessage.Kind.USER);
    assertThat(live.command()).isEqualTo(FriendExtApi.MC_USER_MESSAGE);
    assertThat(new String(live.content(), StandardCharsets.UTF_8)).isEqualTo("hello bob");
    assertThat(live.toUserId()).isEqualTo(bob.userId());
    assertThat(live.from())
        .hasValueSatisfying(
            u -> {
              assertThat(u.userId()).isEqualTo(ann.userId());
              assertThat(u.deviceId()).isEqualTo(ann.deviceId());
              assertThat(u.nickname()).isEqualTo("ann");
            });
    // Bob's device reads it again through GIM's MessageExtService.Sync on the same port: the
    // stored message with its id, the sender's profile and bob as receiver.
    SyncReply synced = bob.messages().sync(SyncRequest.newBuilder().setFromStart(true).build());
    assertThat(synced.getMessagesList())
        .filteredOn(m -> m.getMessageId() == id)
        .singleElement()
        .satisfies(
            m -> {
              assertThat(m.getCommandValue()).isEqualTo(FriendExtApi.MC_USER_MESSAGE);
              assertThat(m.getSeq()).isPositive();
              UserMessagePush push = UserMessagePush.parseFrom(m.getContent());
              assertThat(push.getFromUser().getNickname()).isEqualTo("ann");
              assertThat(push.getToUserId()).isEqualTo(bob.userId());
              assertThat(push.getContent().toStringUtf8()).isEqualTo("hello bob");
            });
    var stored = inbox(ann.userId(), FriendExtApi.MC_USER_MESSAGE);
    assertThat(stored).singleElement().satisfies(m -> assertThat(m.messageId()).isEqualTo(id));
    assertThat(UserMessagePush.parseFrom(stored.get(0).content()).getToUserId())
        .isEqualTo(bob.userId());
  }

  @Test
  void aBackendPushesThroughTheLogicIntServicesOnTheIntPortOnly() {
    GrpcTestClient.Session bob = grpc.newUser("bob");
    List<ReceivedMessage> bobInbox = new CopyOnWriteArrayList<>();
    connect(bob, bobInbox);
    PushToUsersRequest push =
        PushToUsersRequest.newBuilder()
            .addUserIds(bob.userId())
            .setCommandValue(150)
            .setContent(ByteString.copyFromUtf8("from the backend"))
            .setIsPersist(true)
            .build();

    assertThatThrownBy(() -> MessageIntServiceGrpc.newBlockingStub(grpc.ext).pushToUsers(push))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED));
    long id = MessageIntServiceGrpc.newBlockingStub(grpc.internal).pushToUsers(push).getMessageId();

    await().until(() -> bobInbox.stream().anyMatch(m -> m.messageId() == id));
    assertThat(bobInbox).filteredOn(m -> m.command() == 150).hasSize(1);
  }

  @Test
  void theLongConnectionRefusesATokenOfAnotherDeviceAndSendsOnlyToFriends() {
    String phone = GrpcTestClient.phone();
    GrpcTestClient.Session laptop = grpc.signIn(phone);
    GrpcTestClient.Session mobile = grpc.signIn(phone);
    GrpcTestClient.Session stranger = grpc.newUser("stranger");

    GimClient wrong =
        GimClient.builder()
            .tcp("127.0.0.1", server.activePort(ListenSpec.Kind.TCP))
            .credentials(laptop.userId(), mobile.deviceId(), laptop.token())
            .listener(m -> {})
            .noReconnect()
            .build();
    clients.add(wrong);
    assertThat(wrong.connect())
        .failsWithin(Duration.ofSeconds(20))
        .withThrowableThat()
        .havingCause()
        .isInstanceOfSatisfying(
            GimClientException.class, e -> assertThat(e.code()).isEqualTo(10000));

    GimClient client = connect(laptop, new CopyOnWriteArrayList<>());
    assertThat(client.sendToUser(stranger.userId(), new byte[] {1}, null))
        .failsWithin(Duration.ofSeconds(20))
        .withThrowableThat()
        .havingCause()
        .isInstanceOfSatisfying(
            GimClientException.class, e -> assertThat(e.code()).isEqualTo(10210));
    assertThat(inbox(stranger.userId())).isEmpty();
  }
}
