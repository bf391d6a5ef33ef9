package io.gim.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.gim.protocol.Message;
import io.gim.protocol.MessageCommand;
import io.gim.protocol.SyncReply;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class InboxSequencerTest {

  private final Recorder actions = new Recorder();
  private final InboxSequencer sequencer = new InboxSequencer(0, -1, 1_000, actions);

  @Test
  void syncsFromTheInitialSeqOnSignIn() {
    InboxSequencer resumed = new InboxSequencer(41, -1, 1_000, actions);

    resumed.onSignedIn();

    assertThat(actions.requests).containsExactly(new Ask(1, 41, false));
    assertThat(resumed.syncing()).isTrue();
  }

  @Test
  void noticesAnEpochChangeThatHappenedWhileTheApplicationWasAway() {
    InboxSequencer restarted = new InboxSequencer(5, 1, 1_000, actions);
    restarted.onSignedIn();

    answer(restarted, page(2, 5, false)); // the new space has no seq above 5 yet

    assertThat(actions.lastRequest()).isEqualTo(new Ask(2, 0, true));
    answer(restarted, page(2, 0, false, 1, 2));
    assertThat(actions.seqs()).containsExactly(1L, 2L);
    assertThat(restarted.epoch()).isEqualTo(2);
  }

  @Test
  void asksFromTheStartForACursorOfZeroInAKnownEpoch() {
    InboxSequencer restarted = new InboxSequencer(0, 1, 1_000, actions);

    restarted.onSignedIn();

    assertThat(actions.lastRequest()).isEqualTo(new Ask(1, 0, true));
  }

  @Test
  void aNewDeviceAsksForSeqZeroOnceAndAfterwardsFromTheStart() {
    sequencer.onSignedIn();
    answer(sequencer, page(1, 0, false)); // the user has no acks and no messages yet

    sequencer.onPush(inbox(2)); // a gap above cursor 0

    assertThat(actions.requests)
        .extracting(Ask::seq, Ask::fromStart)
        .containsExactly(tuple(0L, false), tuple(0L, true));
  }

  @Test
  void takesTheStartSeqOfAnEmptyPageAsTheCursor() {
    sequencer.onSignedIn();

    answer(sequencer, page(1, 7, false)); // a new device starts after the user's largest ack, 7

    assertThat(sequencer.lastDelivered()).isEqualTo(7);
    sequencer.onPush(inbox(8));
    assertThat(actions.seqs()).containsExactly(8L);
    sequencer.onPush(inbox(10));
    assertThat(actions.lastRequest()).isEqualTo(new Ask(2, 8, false));
  }

  @Test
  void takesTheLastReturnedSeqWhenItIsAboveTheStartSeq() {
    sequencer.onSignedIn();

    answer(sequencer, page(1, 7, false, 8, 9));

    assertThat(sequencer.lastDelivered()).isEqualTo(9);
    assertThat(actions.seqs()).containsExactly(8L, 9L);
    assertThat(actions.acks).containsExactly(9L);
  }

  @Test
  void followsHasMoreUntilTheLastPageAndThenFinishes() {
    finishInitialSync(3);
    sequencer.onPush(inbox(5));
    answer(sequencer, page(1, 3, true, 4, 5));
    answer(sequencer, page(1, 5, false, 7));

    assertThat(actions.requests).extracting(Ask::seq).containsExactly(0L, 3L, 5L);
    assertThat(actions.seqs()).containsExactly(1L, 2L, 3L, 4L, 5L, 7L);
    assertThat(actions.finishedSyncs).isEqualTo(2);
    assertThat(sequencer.syncing()).isFalse();
    assertThat(actions.acks).containsExactly(3L, 5L, 7L);
  }

  @Test
  void ignoresAPageForARequestNobodyWaitsFor() {
    finishInitialSync(3);

    sequencer.onSyncPage(1, page(1, 0, false, 1, 2, 3, 4)); // answered already

    assertThat(actions.seqs()).containsExactly(1L, 2L, 3L);
  }

  @Test
  void deliversTheNextSeqPushAtOnce() {
    finishInitialSync(5);

    sequencer.onPush(inbox(6));

    assertThat(actions.seqs()).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
    assertThat(actions.acks).endsWith(6L);
    assertThat(actions.requests).hasSize(1);
  }

  @Test
  void syncsToDeliverItsOwnSendOnceAndInOrder() {
    finishInitialSync(5);

    sequencer.onOwnSend(6);
    assertThat(actions.lastRequest().seq()).isEqualTo(5);
    answer(sequencer, page(1, 5, false, 6));
    sequencer.onOwnSend(6); // already delivered: nothing to do

    assertThat(actions.seqs()).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
    assertThat(actions.requests).hasSize(2);
  }

  @Test
  void anOwnSendDuringASyncKeepsTheRunGoingUntilItIsDelivered() {
    finishInitialSync(5);
    sequencer.onPush(inbox(7)); // a gap: sync from 5 starts
    sequencer.onOwnSend(9);
    answer(sequencer, page(1, 5, false, 6, 7));

    assertThat(actions.lastRequest().seq()).isEqualTo(7);
    assertThat(actions.finishedSyncs).isEqualTo(1);
    answer(sequencer, page(1, 7, false, 8, 9));
    assertThat(actions.seqs()).endsWith(6L, 7L, 8L, 9L);
    assertThat(sequencer.syncing()).isFalse();
    assertThat(actions.finishedSyncs).isEqualTo(2);
  }

  @Test
  void dropsRepeatedPushesAtOrBelowTheCursorWithoutSyncing() {
    finishInitialSync(5);

    sequencer.onPush(inbox(5));
    sequencer.onPush(inbox(2));

    assertThat(actions.seqs()).containsExactly(1L, 2L, 3L, 4L, 5L);
    assertThat(actions.requests).hasSize(1);
  }

  @Test
  void holdsAGapPushAndSyncsFromTheCursor() {
    finishInitialSync(5);

    sequencer.onPush(inbox(8));

    assertThat(actions.seqs()).doesNotContain(8L);
    assertThat(actions.lastRequest()).isEqualTo(new Ask(2, 5, false));

    answer(sequencer, page(1, 5, false, 6, 7, 8));

    assertThat(actions.seqs()).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);
    assertThat(sequencer.lastDelivered()).isEqualTo(8);
  }

  @Test
  void syncsAgainRatherThanDeliverAHeldPushTheLastPageDidNotShow() {
    finishInitialSync(5);
    sequencer.onPush(inbox(10_005)); // e.g. a store that restarted into its next seq step

    answer(sequencer, page(1, 5, false)); // read before 10_005 was visible
    assertThat(actions.seqs()).doesNotContain(10_005L);
    assertThat(actions.lastRequest().seq()).isEqualTo(5);
    answer(sequencer, page(1, 5, false, 10_005));

    assertThat(actions.seqs()).endsWith(5L, 10_005L);
    assertThat(sequencer.syncing()).isFalse();
  }

  @Test
  void givesUpOnAHeldPushAfterTwoPagesThatDoNotShowIt() {
    finishInitialSync(5);
    sequencer.onPush(inbox(9));

    answer(sequencer, page(1, 5, false));
    answer(sequencer, page(1, 5, false));

    assertThat(actions.seqs()).doesNotContain(9L);
    assertThat(actions.acks).doesNotContain(9L);
    assertThat(sequencer.syncing()).isFalse();
    sequencer.onPush(inbox(9)); // the next push tries again
    assertThat(actions.lastRequest().seq()).isEqualTo(5);
    assertThat(sequencer.syncing()).isTrue();
  }

  @Test
  void neverDeliversAHeldPushPastAnOwnSendCommittedAfterTheFollowUpPageWasRead() {
    sequencer.onSignedIn();
    sequencer.onPush(inbox(5));
    answer(sequencer, page(1, 0, false, 1, 2)); // predates 5: one more page
    sequencer.onPush(inbox(6));
    answer(sequencer, page(1, 2, false, 3)); // read before 4 (own send) was committed

    assertThat(actions.seqs()).containsExactly(1L, 2L, 3L);
    assertThat(actions.acks).allMatch(ack -> ack <= 3);
    assertThat(actions.lastRequest().seq()).isEqualTo(3);

    answer(sequencer, page(1, 3, false, 4, 5, 6));
    assertThat(actions.seqs()).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
    assertThat(actions.acks).isSorted().endsWith(6L);
    assertThat(actions.finishedSyncs).isEqualTo(1);
  }

  @Test
  void deliversHeldPushesThatFollowTheLastPageWithoutAnotherSync() {
    finishInitialSync(1);
    sequencer.onPush(inbox(4)); // a gap: sync from 1
    sequencer.onPush(inbox(2)); // also in the page: delivered once
    sequencer.onPush(inbox(3));

    answer(sequencer, page(1, 1, false, 2));

    assertThat(actions.seqs()).containsExactly(1L, 2L, 3L, 4L);
    assertThat(actions.requests).hasSize(2);
    assertThat(actions.acks).containsExactly(1L, 4L);
    assertThat(actions.finishedSyncs).isEqualTo(2);
  }

  @Test
  void fetchesPushesHeldBeforeTheFirstPageSinceTheirSeqSpaceIsUnknown() {
    sequencer.onSignedIn();
    sequencer.onPush(inbox(3, 7003)); // maybe numbered by a store that has since lost its seqs

    answer(sequencer, page(4, 0, false, 1, 2));

    assertThat(actions.seqs()).containsExactly(1L, 2L);
    assertThat(actions.lastRequest().seq()).isEqualTo(2);
    answer(sequencer, page(4, 2, false, 3));
    assertThat(actions.delivered).extracting(Message::getMessageId).endsWith(1003L);
  }

  @Test
  void deliversEachSeqExactlyOnceAcrossOverlappingPagesAndPushes() {
    sequencer.onSignedIn();
    sequencer.onPush(inbox(3));
    answer(sequencer, page(1, 0, true, 1, 2, 3));
    sequencer.onPush(inbox(3));
    sequencer.onPush(inbox(4));
    answer(sequencer, page(1, 3, false, 4, 5));
    sequencer.onPush(inbox(5));
    sequencer.onPush(inbox(6));
    sequencer.onPush(inbox(6));

    assertThat(actions.seqs()).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
  }

  @Test
  void deliversRoomMessagesImmediatelyEvenDuringASync() {
    sequencer.onSignedIn();

    sequencer.onPush(room(100));
    sequencer.onPush(room(100));

    assertThat(actions.delivered).extracting(Message::getRoomId).containsExactly(100L, 100L);
    assertThat(actions.acks).isEmpty();
    assertThat(sequencer.lastDelivered()).isZero();
  }

  @Test
  void forgetsHeldPushesOnDisconnectAndResyncsFromTheCursorOnSignIn() {
    finishInitialSync(3);
    sequencer.onPush(inbox(6));
    sequencer.onDisconnected();

    sequencer.onSignedIn();
    answer(sequencer, page(1, 3, false, 4, 5, 6));

    assertThat(actions.requests).extracting(Ask::seq).containsExactly(0L, 3L, 3L);
    assertThat(actions.seqs()).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
  }

  @Test
  void ignoresAPageThatArrivesAfterTheSyncFailed() {
    sequencer.onSignedIn();
    sequencer.onSyncFailed();

    answer(sequencer, page(1, 0, false, 1));

    assertThat(actions.delivered).isEmpty();
    assertThat(sequencer.syncing()).isFalse();
  }

  @Test
  void endsARunWhosePageHasMoreButMovesNothing() {
    sequencer.onSignedIn();

    answer(sequencer, page(1, 0, true));

    assertThat(actions.requests).hasSize(1);
    assertThat(sequencer.syncing()).isFalse();
  }

  @Test
  void resyncsFromTheStartAndDedupesByMessageIdWhenTheEpochChanges() {
    finishInitialSync(3); // epoch 1, message ids 1001..1003
    sequencer.onPush(inbox(5));

    answer(sequencer, page(2, 3, false, 4));

    // The page from the old cursor is dropped; the sync restarts at the new space's start.
    assertThat(actions.lastRequest()).isEqualTo(new Ask(3, 0, true));
    assertThat(sequencer.dedupingById()).isTrue();
    assertThat(sequencer.lastDelivered()).isZero();

    // The new space re-numbers two old messages (ids 1002, 1003) and adds a new one.
    answer(
        sequencer,
        SyncReply.newBuilder()
            .setEpoch(2)
            .addMessages(inbox(1, 1002))
            .addMessages(inbox(2, 1003))
            .addMessages(inbox(3, 2001))
            .build());

    assertThat(actions.delivered)
        .extracting(Message::getMessageId)
        .containsExactly(1001L, 1002L, 1003L, 2001L);
    assertThat(sequencer.lastDelivered()).isEqualTo(3);
    assertThat(actions.acks).endsWith(3L);

    sequencer.onPush(inbox(4, 1001));
    sequencer.onPush(inbox(5, 2002));
    assertThat(actions.delivered)
        .extracting(Message::getMessageId)
        .containsExactly(1001L, 1002L, 1003L, 2001L, 2002L);
  }

  @Test
  void aPushAtOrBelowTheCursorWithAnUnseenIdStartsASync() {
    finishInitialSync(5);

    sequencer.onPush(inbox(1, 7001)); // the store lost its seqs and numbers from 1 again

    assertThat(actions.lastRequest()).isEqualTo(new Ask(2, 5, false));
    answer(sequencer, SyncReply.newBuilder().setEpoch(2).setStartSeq(5).build());
    assertThat(actions.lastRequest()).isEqualTo(new Ask(3, 0, true));
    answer(sequencer, SyncReply.newBuilder().setEpoch(2).addMessages(inbox(1, 7001)).build());
    assertThat(actions.delivered).extracting(Message::getMessageId).endsWith(1005L, 7001L);
  }

  @Test
  void doesNotDedupeByMessageIdWhileTheEpochIsUnchanged() {
    finishInitialSync(1);

    sequencer.onPush(inbox(2, 1001)); // a self-send may sit twice in one inbox

    assertThat(actions.seqs()).containsExactly(1L, 2L);
  }

  private void finishInitialSync(long upTo) {
    sequencer.onSignedIn();
    answer(sequencer, page(1, 0, false, LongStream.rangeClosed(1, upTo).toArray()));
    assertThat(sequencer.syncing()).isFalse();
  }

  private void answer(InboxSequencer target, SyncReply page) {
    target.onSyncPage(actions.lastRequest().id(), page);
  }

  /** A page as the protocol describes it: {@code start_seq} is where it started after. */
  private static SyncReply page(long epoch, long startSeq, boolean hasMore, long... seqs) {
    SyncReply.Builder page =
        SyncReply.newBuilder().setEpoch(epoch).setStartSeq(startSeq).setHasMore(hasMore);
    for (long seq : seqs) {
      page.addMessages(inbox(seq));
    }
    return page.build();
  }

  private static Message inbox(long seq) {
    return inbox(seq, 1000 + seq);
  }

  private static Message inbox(long seq, long messageId) {
    return Message.newBuilder()
        .setCommand(MessageCommand.MC_USER_MESSAGE)
        .setSeq(seq)
        .setMessageId(messageId)
        .setCreatedAt(1_700_000_000L)
        .build();
  }

  private static Message room(long roomId) {
    return Message.newBuilder()
        .setCommand(MessageCommand.MC_ROOM_MESSAGE)
        .setRoomId(roomId)
        .build();
  }

  private record Ask(long id, long seq, boolean fromStart) {}

  private static final class Recorder implements InboxSequencer.Actions {
    final List<Message> delivered = new ArrayList<>();
    final List<Ask> requests = new ArrayList<>();
    final List<Long> acks = new ArrayList<>();
    int finishedSyncs;

    @Override
    public void deliver(Message message) {
      delivered.add(message);
    }

    @Override
    public void requestSync(long requestId, long seq, boolean fromStart) {
      requests.add(new Ask(requestId, seq, fromStart));
    }

    @Override
    public void delivered(long seq) {
      acks.add(seq);
    }

    @Override
    public void syncFinished() {
      finishedSyncs++;
    }

    Ask lastRequest() {
      return requests.get(requests.size() - 1);
    }

    List<Long> seqs() {
      return delivered.stream().filter(m -> m.getSeq() != 0).map(Message::getSeq).toList();
    }
  }
}
