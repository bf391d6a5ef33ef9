package io.gim.grpc;

import static io.gim.grpc.InProcessApi.assertFails;
import static io.gim.grpc.InProcessApi.credentials;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.gim.grpc.logic.MessageACKRequest;
import io.gim.grpc.logic.PushToUsersRequest;
import io.gim.grpc.logic.SyncReply;
import io.gim.grpc.logic.SyncRequest;
import io.gim.protocol.Message;
import io.grpc.Metadata;
import io.grpc.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** logic.MessageExtService over gRPC: PC_SYNC and PC_ACK's rules, authenticated per device. */
class MessageExtServiceTest {
  private static final Instant T0 = Instant.parse("2024-01-02T03:04:05Z");
  private final MutableClock clock = new MutableClock(T0);
  private final InProcessApi api;

  MessageExtServiceTest() throws Exception {
    api = new InProcessApi(b -> b.clock(clock).syncLimits(2, 3), b -> b);
  }

  @AfterEach
  void close() {
    api.close();
  }

  private long push(long user, String text) {
    return api.messages()
        .pushToUsers(
            PushToUsersRequest.newBuilder()
                .addUserIds(user)
                .setCommandValue(1)
                .setContent(ByteString.copyFromUtf8(text))
                .setIsPersist(true)
                .build())
        .getMessageId();
  }

  private SyncReply sync(long user, long device, SyncRequest request) {
    return api.inbox(user, device).sync(request);
  }

  @Test
  void syncReturnsTheCallersMessagesInSeqOrderWithTheirStoredTimeAndId() {
    long first = push(7, "a");
    clock.advance(Duration.ofMinutes(5));
    long second = push(7, "b");
    push(8, "not yours");
    clock.advance(Duration.ofHours(1)); // the sync happens an hour later

    SyncReply page = sync(7, 1, SyncRequest.newBuilder().setFromStart(true).build());

    assertThat(page.getMessagesList()).extracting(Message::getSeq).isSorted().hasSize(2);
    assertThat(page.getMessagesList())
        .extracting(m -> m.getContent().toStringUtf8())
        .containsExactly("a", "b");
    assertThat(page.getMessagesList())
        .extracting(Message::getCreatedAt)
        .containsExactly(T0.getEpochSecond(), T0.getEpochSecond() + 300);
    assertThat(page.getMessagesList())
        .extracting(Message::getMessageId)
        .containsExactly(first, second);
    assertThat(page.getHasMore()).isFalse();
    assertThat(page.getStartSeq()).isZero();
  }

  @Test
  void hasMoreIsExactAndTheLimitIsCappedByTheServer() {
    for (int i = 0; i < 4; i++) {
      push(7, "m" + i);
    }

    SyncReply defaultPage = sync(7, 1, SyncRequest.newBuilder().setFromStart(true).build());
    SyncReply capped =
        sync(7, 1, SyncRequest.newBuilder().setFromStart(true).setLimit(100).build());
    long lastOfCapped = capped.getMessages(capped.getMessagesCount() - 1).getSeq();
    SyncReply rest = sync(7, 1, SyncRequest.newBuilder().setSeq(lastOfCapped).setLimit(3).build());

    assertThat(defaultPage.getMessagesCount()).isEqualTo(2);
    assertThat(defaultPage.getHasMore()).isTrue();
    assertThat(capped.getMessagesCount()).isEqualTo(3);
    assertThat(capped.getHasMore()).isTrue();
    assertThat(rest.getMessagesCount()).isEqualTo(1);
    assertThat(rest.getHasMore()).as("a page holding the last message").isFalse();
    assertThat(rest.getStartSeq()).isEqualTo(lastOfCapped);
  }

  @Test
  void seqZeroStartsAfterTheLargestAckOfTheUsersDevicesAndSaysWhere() {
    push(7, "a");
    push(7, "b");
    push(7, "c");
    List<Message> all =
        sync(7, 1, SyncRequest.newBuilder().setFromStart(true).build()).getMessagesList();
    long ackedSeq = all.get(1).getSeq();
    api.inbox(7, 1).messageACK(MessageACKRequest.newBuilder().setDeviceAck(ackedSeq).build());

    SyncReply newDevice = sync(7, 2, SyncRequest.getDefaultInstance());

    assertThat(newDevice.getStartSeq()).isEqualTo(ackedSeq);
    assertThat(newDevice.getMessagesList())
        .extracting(m -> m.getContent().toStringUtf8())
        .containsExactly("c");
    assertThat(newDevice.getEpoch())
        .isEqualTo(sync(7, 1, SyncRequest.getDefaultInstance()).getEpoch());
  }

  @Test
  void anAckNeverMovesBackwardsAndIsClampedToTheLargestSeq() {
    push(7, "a");
    push(7, "b");
    long last =
        sync(7, 1, SyncRequest.newBuilder().setFromStart(true).build()).getMessages(1).getSeq();
    var device = api.inbox(7, 1);

    device.messageACK(MessageACKRequest.newBuilder().setDeviceAck(last).build());
    device.messageACK(MessageACKRequest.newBuilder().setDeviceAck(last - 1).build());
    assertThat(sync(7, 2, SyncRequest.getDefaultInstance()).getStartSeq())
        .as("a smaller ack is ignored")
        .isEqualTo(last);

    device.messageACK(MessageACKRequest.newBuilder().setDeviceAck(last + 1000).build());
    push(7, "c");
    SyncReply page = sync(7, 2, SyncRequest.getDefaultInstance());
    assertThat(page.getStartSeq()).as("an ack past the end is clamped").isEqualTo(last);
    assertThat(page.getMessagesList())
        .extracting(m -> m.getContent().toStringUtf8())
        .containsExactly("c");
  }

  @Test
  void callsWithoutCompleteCredentialsAreUnauthenticated() {
    SyncRequest any = SyncRequest.getDefaultInstance();
    for (Metadata headers :
        List.of(
            new Metadata(),
            credentials("7", "1", null),
            credentials("7", null, "t-7-1"),
            credentials(null, "1", "t-7-1"),
            credentials("seven", "1", "t-7-1"),
            credentials("0", "1", "t-7-1"),
            credentials("7", "-1", "t-7-1"),
            credentials("18446744073709551615", "1", "t-7-1"))) {
      assertFails(() -> api.inbox(headers).sync(any), Status.Code.UNAUTHENTICATED, 10000);
    }
  }

  @Test
  void aWrongTokenIsRefused() {
    assertFails(
        () ->
            api.inbox(credentials("7", "1", "t-8-1"))
                .messageACK(MessageACKRequest.getDefaultInstance()),
        Status.Code.UNAUTHENTICATED,
        10000);
  }

  @Test
  void aValidTokenPresentedForAnotherDeviceOfTheSameUserIsRefused() {
    push(7, "secret");

    assertFails(
        () ->
            api.inbox(credentials("7", "2", InProcessApi.token(7, 1)))
                .sync(SyncRequest.newBuilder().setFromStart(true).build()),
        Status.Code.UNAUTHENTICATED,
        10000);
    assertThat(
            api.inbox(7, 1)
                .sync(SyncRequest.newBuilder().setFromStart(true).build())
                .getMessagesCount())
        .isEqualTo(1);
  }

  @Test
  void theProvidersOwnRefusalCodeReachesTheClientAsUnauthenticated() {
    assertFails(
        () -> api.inbox(credentials("7", "1", "banned")).sync(SyncRequest.getDefaultInstance()),
        Status.Code.UNAUTHENTICATED,
        10310);
  }

  @Test
  void aFailingProviderIsAFixedUnauthorizedWithoutItsInternals() {
    assertFails(
        () -> api.inbox(credentials("7", "1", "boom")).sync(SyncRequest.getDefaultInstance()),
        Status.Code.UNAUTHENTICATED,
        10000);
    try {
      api.inbox(credentials("7", "1", "boom")).sync(SyncRequest.getDefaultInstance());
    } catch (io.grpc.StatusRuntimeException e) {
      assertThat(e.getStatus().getDescription()).doesNotContain("10.1.2.3");
    }
  }
}
