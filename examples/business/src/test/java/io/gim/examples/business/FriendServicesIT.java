package io.gim.examples.business;

import static io.gim.examples.business.GrpcTestClient.assertFails;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.Empty;
import io.gim.grpc.business.AddFriendPush;
import io.gim.grpc.business.AgreeAddFriendPush;
import io.gim.grpc.business.FriendAddRequest;
import io.gim.grpc.business.FriendAgreeRequest;
import io.gim.grpc.business.FriendSetRequest;
import io.gim.grpc.business.SendFriendMessageRequest;
import io.gim.grpc.logic.UserMessagePush;
import io.gim.spi.store.StoredMessage;
import io.grpc.Status;
import org.junit.jupiter.api.Test;

/** FriendExtService over a real port: GIM's friend rules, their pushes, friend messages. */
class FriendServicesIT extends ServerFixture {

  private void befriend(GrpcTestClient.Session a, GrpcTestClient.Session b) {
    a.friends().add(FriendAddRequest.newBuilder().setFriendId(b.userId()).build());
    b.friends().agree(FriendAgreeRequest.newBuilder().setUserId(a.userId()).build());
  }

  @Test
  void addingAFriendStoresAnAddFriendPushInTheOtherInboxOnce() throws Exception {
    GrpcTestClient.Session ann = grpc.newUser("ann");
    GrpcTestClient.Session bob = grpc.newUser("bob");
    FriendAddRequest add =
        FriendAddRequest.newBuilder()
            .setFriendId(bob.userId())
            .setRemarks("bobby")
            .setDescription("hi, it's ann")
            .build();

    ann.friends().add(add);
    ann.friends().add(add); // still applied: a no-op

    var pushes = inbox(bob.userId(), 110);
    assertThat(pushes).hasSize(1);
    AddFriendPush push = AddFriendPush.parseFrom(pushes.get(0).content());
    assertThat(push.getFriendId()).isEqualTo(ann.userId());
    assertThat(push.getNickname()).isEqualTo("ann");
    assertThat(push.getDescription()).isEqualTo("hi, it's ann");
    assertThat(inbox(ann.userId())).isEmpty();
  }

  @Test
  void agreeingMakesBothFriendsAndTellsTheApplicant() throws Exception {
    GrpcTestClient.Session ann = grpc.newUser("ann");
    GrpcTestClient.Session bob = grpc.newUser("bob");
    ann.friends()
        .add(FriendAddRequest.newBuilder().setFriendId(bob.userId()).setRemarks("bobby").build());
    assertThat(ann.friends().getFriends(Empty.getDefaultInstance()).getFriendsList()).isEmpty();

    bob.friends()
        .agree(FriendAgreeRequest.newBuilder().setUserId(ann.userId()).setRemarks("annie").build());

    var pushes = inbox(ann.userId(), 111);
    assertThat(pushes).hasSize(1);
    AgreeAddFriendPush push = AgreeAddFriendPush.parseFrom(pushes.get(0).content());
    assertThat(push.getFriendId()).isEqualTo(bob.userId());
    assertThat(push.getNickname()).isEqualTo("bob");
    assertThat(ann.friends().getFriends(Empty.getDefaultInstance()).getFriendsList())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.getUserId()).isEqualTo(bob.userId());
              assertThat(f.getNickname()).isEqualTo("bob");
              assertThat(f.getRemarks()).isEqualTo("bobby");
            });
    assertThat(bob.friends().getFriends(Empty.getDefaultInstance()).getFriendsList())
        .extracting(f -> f.getRemarks())
        .containsExactly("annie");
  }

  @Test
  void friendRulesAnswerWithGimCodes() {
    GrpcTestClient.Session ann = grpc.newUser("ann");
    GrpcTestClient.Session bob = grpc.newUser("bob");

    assertFails(
        () -> ann.friends().add(FriendAddRequest.newBuilder().setFriendId(ann.userId()).build()),
        Status.Code.INVALID_ARGUMENT,
        10001);
    assertFails(
        () -> ann.friends().add(FriendAddRequest.newBuilder().setFriendId(Long.MAX_VALUE).build()),
        Status.Code.INTERNAL,
        10301);
    assertFails(
        () -> bob.friends().agree(FriendAgreeRequest.newBuilder().setUserId(ann.userId()).build()),
        Status.Code.NOT_FOUND,
        10210);
    assertFails(
        () -> ann.friends().set(FriendSetRequest.newBuilder().setFriendId(bob.userId()).build()),
        Status.Code.NOT_FOUND,
        10210);

    befriend(ann, bob);

    assertFails(
        () -> ann.friends().add(FriendAddRequest.newBuilder().setFriendId(bob.userId()).build()),
        Status.Code.FAILED_PRECONDITION,
        10211);
    assertThat(inbox(bob.userId(), 110)).hasSize(1);
    assertThat(inbox(ann.userId(), 111)).hasSize(1);
  }

  @Test
  void setChangesTheRemarksAndExtraOfAFriend() {
    GrpcTestClient.Session ann = grpc.newUser("ann");
    GrpcTestClient.Session bob = grpc.newUser("bob");
    befriend(ann, bob);

    var reply =
        ann.friends()
            .set(
                FriendSetRequest.newBuilder()
                    .setFriendId(bob.userId())
                    .setRemarks("B")
                    .setExtra("{\"star\":1}")
                    .build());

    assertThat(reply.getRemarks()).isEqualTo("B");
    assertThat(ann.friends().getFriends(Empty.getDefaultInstance()).getFriendsList())
        .singleElement()
        .satisfies(f -> assertThat(f.getExtra()).isEqualTo("{\"star\":1}"));
  }

  @Test
  void aFriendMessageIsStoredInBothInboxesWithTheSendersProfile() throws Exception {
    GrpcTestClient.Session ann = grpc.newUser("ann");
    GrpcTestClient.Session bob = grpc.newUser("bob");
    befriend(ann, bob);

    long id =
        ann.friends()
            .sendMessage(
                SendFriendMessageRequest.newBuilder()
                    .setUserId(bob.userId())
                    .setContent(ByteString.copyFromUtf8("hello bob"))
                    .build())
            .getMessageId();

    StoredMessage received = inbox(bob.userId(), 1).get(0);
    StoredMessage sent = inbox(ann.userId(), 1).get(0);
    assertThat(id).isPositive();
    assertThat(received.messageId()).isEqualTo(id);
    assertThat(sent.messageId()).isEqualTo(id);
    UserMessagePush push = UserMessagePush.parseFrom(received.content());
    assertThat(push.getToUserId()).isEqualTo(bob.userId());
    assertThat(push.getContent().toStringUtf8()).isEqualTo("hello bob");
    assertThat(push.getFromUser().getUserId()).isEqualTo(ann.userId());
    assertThat(push.getFromUser().getDeviceId()).isEqualTo(ann.deviceId());
    assertThat(push.getFromUser().getNickname()).isEqualTo("ann");
  }

  @Test
  void messagesGoOnlyToFriends() {
    GrpcTestClient.Session ann = grpc.newUser("ann");
    GrpcTestClient.Session bob = grpc.newUser("bob");
    ann.friends().add(FriendAddRequest.newBuilder().setFriendId(bob.userId()).build());

    assertFails(
        () ->
            ann.friends()
                .sendMessage(
                    SendFriendMessageRequest.newBuilder()
                        .setUserId(bob.userId())
                        .setContent(ByteString.copyFromUtf8("not yet"))
                        .build()),
        Status.Code.NOT_FOUND,
        10210);
    assertThat(inbox(bob.userId(), 1)).isEmpty();
  }

  @Test
  void anOversizedMessageIsRefusedBeforeAnythingIsStored() {
    GrpcTestClient.Session ann = grpc.newUser("ann");
    GrpcTestClient.Session bob = grpc.newUser("bob");
    befriend(ann, bob);

    assertFails2MiB(ann, bob);
    // Within the gRPC limit, but larger than a long-connection frame could carry.
    assertFails(
        () ->
            ann.friends()
                .sendMessage(
                    SendFriendMessageRequest.newBuilder()
                        .setUserId(bob.userId())
                        .setContent(ByteString.copyFrom(new byte[1024 * 1024]))
                        .build()),
        Status.Code.INVALID_ARGUMENT,
        10001);
    assertThat(inbox(bob.userId(), 1)).isEmpty();
  }

  private static void assertFails2MiB(GrpcTestClient.Session ann, GrpcTestClient.Session bob) {
    SendFriendMessageRequest huge =
        SendFriendMessageRequest.newBuilder()
            .setUserId(bob.userId())
            .setContent(ByteString.copyFrom(new byte[2 * 1024 * 1024]))
            .build();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> ann.friends().sendMessage(huge))
        .isInstanceOfSatisfying(
            io.grpc.StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED));
  }
}
