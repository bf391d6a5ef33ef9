package io.gim.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.gim.core.Inboxes;
import io.gim.core.PushResult;
import io.gim.core.memory.InMemoryStores;
import io.gim.protocol.Message;
import io.gim.protocol.SyncReply;
import io.gim.protocol.SyncRequest;
import io.gim.spi.GimException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/**
 * {@code server.inboxes()}: PC_SYNC and PC_ACK's rules (docs/protocol.md) for a client without a
 * long connection. Expected values come from the protocol, not from what the code returns.
 */
class HostInboxesTest {
  private static final Instant T0 = Instant.parse("2024-05-06T07:08:09Z");
  private final EngineHarness h =
      new EngineHarness(
          EngineHarness.TOKEN_OK,
          InMemoryStores.create(),
          s -> s.clock(Clock.fixed(T0, ZoneOffset.UTC)));
  private final Inboxes inboxes = h.engine.inboxes();

  private static <T> T join(CompletionStage<T> stage) {
    return stage.toCompletableFuture().join();
  }

  private PushResult push(long user, byte[] content) {
    return join(h.engine.messages().pushToUsers(List.of(user), 1, content, true));
  }

  private PushResult push(long user, String text) {
    return push(user, text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  private SyncReply sync(long user, SyncRequest request) {
    return join(inboxes.sync(user, request));
  }

  private static SyncRequest after(long seq, int limit) {
    return SyncRequest.newBuilder().setSeq(seq).setLimit(limit).build();
  }

  private static void assertCode(ThrowingCallable call, int code) {
    org.assertj.core.api.Assertions.assertThatThrownBy(call)
        .isInstanceOf(CompletionException.class)
        .cause()
        .isInstanceOfSatisfying(GimException.class, e -> assertThat(e.code()).isEqualTo(code));
  }

  @Test
  void aPageHoldsTheUsersMessagesAfterTheSeqAscendingWithStoredTimeAndId() {
    PushResult a = push(1, "a");
    PushResult b = push(1, "b");
    push(2, "other user");

    SyncReply page = sync(1, after(0, 0));

    assertThat(page.getMessagesList())
        .extracting(Message::getSeq)
        .containsExactly(a.seqs().get(1L), b.seqs().get(1L));
    assertThat(page.getMessagesList())
        .extracting(Message::getMessageId)
        .containsExactly(a.messageId(), b.messageId());
    assertThat(page.getMessagesList())
        .extracting(Message::getCreatedAt)
        .containsOnly(T0.getEpochSecond());
    assertThat(page.getHasMore()).isFalse();
    assertThat(page.getStartSeq()).isZero();
  }

  @Test
  void hasMoreIsFalseWhenAFullPageHoldsTheLastMessage() {
    for (int i = 0; i < 3; i++) {
      push(1, "m" + i);
    }

    SyncReply firstTwo = sync(1, after(0, 2));
    SyncReply lastOne = sync(1, after(firstTwo.getMessages(1).getSeq(), 1));

    assertThat(firstTwo.getMessagesCount()).isEqualTo(2);
    assertThat(firstTwo.getHasMore()).isTrue();
    assertThat(lastOne.getMessagesCount()).isEqualTo(1);
    assertThat(lastOne.getHasMore()).isFalse();
    assertThat(lastOne.getStartSeq()).isEqualTo(firstTwo.getMessages(1).getSeq());
  }

  @Test
  void limitZeroIsTheDefaultOfFiftyAndALargerLimitIsCappedAtTheMaximum() {
    for (int i = 0; i < 501; i++) {
      push(1, "m");
    }

    assertThat(sync(1, after(0, 0)).getMessagesCount()).isEqualTo(50);
    SyncReply capped = sync(1, after(0, -1)); // 2^32-1 as uint32
    assertThat(capped.getMessagesCount()).isEqualTo(500);
    assertThat(capped.getHasMore()).isTrue();
  }

  @Test
  void seqZeroStartsAfterTheLargestAckOfAnyOfTheUsersDevicesAndFromStartIgnoresAcks() {
    long s1 = push(1, "a").seqs().get(1L);
    long s2 = push(1, "b").seqs().get(1L);
    long s3 = push(1, "c").seqs().get(1L);
    join(inboxes.ack(1, 1, s1));
    join(inboxes.ack(1, 2, s2));

    SyncReply fromAcks = sync(1, SyncRequest.getDefaultInstance());
    SyncReply fromStart = sync(1, SyncRequest.newBuilder().setFromStart(true).build());

    assertThat(fromAcks.getStartSeq()).isEqualTo(s2);
    assertThat(fromAcks.getMessagesList()).extracting(Message::getSeq).containsExactly(s3);
    assertThat(fromStart.getStartSeq()).isZero();
    assertThat(fromStart.getMessagesList()).extracting(Message::getSeq).containsExactly(s1, s2, s3);
    assertThat(fromStart.getEpoch()).isEqualTo(fromAcks.getEpoch());
  }

  @Test
  void anAckNeverMovesBackwardsAndOnePastTheLargestSeqIsClamped() {
    long s1 = push(1, "a").seqs().get(1L);
    long s2 = push(1, "b").seqs().get(1L);

    join(inboxes.ack(1, 1, s2));
    join(inboxes.ack(1, 1, s1));
    assertThat(sync(1, SyncRequest.getDefaultInstance()).getStartSeq()).isEqualTo(s2);

    join(inboxes.ack(1, 1, s2 + 1_000));
    long s3 = push(1, "c").seqs().get(1L);
    SyncReply page = sync(1, SyncRequest.getDefaultInstance());
    assertThat(page.getStartSeq()).isEqualTo(s2);
    assertThat(page.getMessagesList()).extracting(Message::getSeq).containsExactly(s3);
  }

  @Test
  void aPageNeverExceedsOneFrameAndSaysHasMoreWhenCut() {
    EngineHarness small =
        new EngineHarness(
            EngineHarness.TOKEN_OK, InMemoryStores.create(), s -> s.maxFrameBytes(4096));
    for (int i = 0; i < 2; i++) {
      join(small.engine.messages().pushToUsers(List.of(1L), 1, new byte[2000], true));
    }

    SyncReply page = join(small.engine.inboxes().sync(1, after(0, 10)));

    assertThat(page.getMessagesCount()).isEqualTo(1);
    assertThat(page.getHasMore()).isTrue();
    assertThat(page.getSerializedSize()).isLessThanOrEqualTo(4096);
  }

  @Test
  void aUserOrDeviceIdOfZeroIsABadRequest() {
    assertCode(() -> sync(0, SyncRequest.getDefaultInstance()), 10001);
    assertCode(() -> join(inboxes.ack(0, 1, 1)), 10001);
    assertCode(() -> join(inboxes.ack(1, 0, 1)), 10001);
  }
}
