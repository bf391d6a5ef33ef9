package io.gim.grpc;

import static io.gim.grpc.InProcessApi.assertFails;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.gim.grpc.logic.PushToAllRequest;
import io.gim.grpc.logic.PushToUsersRequest;
import io.gim.grpc.logic.SyncRequest;
import io.gim.protocol.Message;
import io.grpc.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** logic.MessageIntService: pushes from a trusted backend. */
class MessageIntServiceTest {
  private final InProcessApi api;

  MessageIntServiceTest() throws Exception {
    api = new InProcessApi(b -> b.maxFrameBytes(8192), b -> b.maxInboundMessageBytes(64 * 1024));
  }

  @AfterEach
  void close() {
    api.close();
  }

  private static PushToUsersRequest.Builder push(String text, long... users) {
    PushToUsersRequest.Builder b =
        PushToUsersRequest.newBuilder()
            .setCommandValue(110) // a host-defined command passes through
            .setContent(ByteString.copyFromUtf8(text))
            .setIsPersist(true);
    for (long u : users) {
      b.addUserIds(u);
    }
    return b;
  }

  @Test
  void aPersistedPushIsStoredOnceInEveryUsersInboxAndReturnsItsId() {
    long id = api.messages().pushToUsers(push("hello", 1, 2, 2).build()).getMessageId();

    assertThat(id).isPositive();
    for (long user : new long[] {1, 2}) {
      var page = api.inbox(user, 1).sync(SyncRequest.newBuilder().setFromStart(true).build());
      assertThat(page.getMessagesList()).hasSize(1);
      Message m = page.getMessages(0);
      assertThat(m.getMessageId()).isEqualTo(id);
      assertThat(m.getCommandValue()).isEqualTo(110);
      assertThat(m.getContent().toStringUtf8()).isEqualTo("hello");
    }
  }

  @Test
  void aPushNotPersistedReturnsMessageIdZeroAndStoresNothing() {
    long id =
        api.messages().pushToUsers(push("live", 1).setIsPersist(false).build()).getMessageId();

    assertThat(id).isZero();
    assertThat(
            api.inbox(1, 1)
                .sync(SyncRequest.newBuilder().setFromStart(true).build())
                .getMessagesList())
        .isEmpty();
  }

  @Test
  void noUsersOrAUserIdOfZeroIsABadRequest() {
    assertFails(
        () -> api.messages().pushToUsers(push("x").build()), Status.Code.INVALID_ARGUMENT, 10001);
    assertFails(
        () -> api.messages().pushToUsers(push("x", 1, 0).build()),
        Status.Code.INVALID_ARGUMENT,
        10001);
    assertFails(
        () -> api.messages().pushToUsers(push("x", 1, -1).build()),
        Status.Code.INVALID_ARGUMENT,
        10001);
  }

  @Test
  void contentLargerThanAFrameCanCarryIsABadRequestAndNothingIsStored() {
    String big = "x".repeat(8192);

    assertFails(
        () -> api.messages().pushToUsers(push(big, 1).build()),
        Status.Code.INVALID_ARGUMENT,
        10001);
    assertFails(
        () ->
            api.messages()
                .pushToAll(
                    PushToAllRequest.newBuilder().setContent(ByteString.copyFromUtf8(big)).build()),
        Status.Code.INVALID_ARGUMENT,
        10001);
    assertThat(
            api.inbox(1, 1)
                .sync(SyncRequest.newBuilder().setFromStart(true).build())
                .getMessagesList())
        .isEmpty();
  }

  @Test
  void pushToAllIsAccepted() {
    assertThat(
            api.messages()
                .pushToAll(
                    PushToAllRequest.newBuilder()
                        .setCommandValue(120)
                        .setContent(ByteString.copyFromUtf8("all"))
                        .build()))
        .isNotNull();
  }
}
