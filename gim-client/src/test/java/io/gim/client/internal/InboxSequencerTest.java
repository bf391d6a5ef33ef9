package io.gim.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.gim.protocol.Message;
import io.gim.protocol.MessageCommand;
import io.gim.protocol.SyncReply;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class InboxSequencerTest {

  private final Recorder actions = new Recorder();
  private final InboxSequencer sequencer = new InboxSequencer(0, 1_000, actions);

  @Test
  void syncsFromTheInitialSeqOnSignIn() {
    InboxSequencer resumed = new InboxSequencer(41, 1_000, actions);

    resumed.onSignedIn();

    assertThat(actions.syncRequests).containsExactly(41L);
    assertThat(resumed.syncing()).isTrue();
  }

  @Test
  void followsHasMoreUntilTheLastPageAndThenFinishes() {
    sequencer.onSignedIn();
    sequencer.onSyncPage(0, page(1, false, 1, 2, 3));
    sequencer.onSyncPage(3, page(1, true, 4, 5)); // stale: nobody asked from 3 yet
    assertThat(actions.syncRequests).containsExactly(0L);

    sequencer.onSignedIn();
    sequencer.onSyncPage(3, page(1, true, 4, 5));
    sequencer.onSyncPage(5, page(1, false, 7));

    assertThat(actions.syncRequests).containsExactly(0L, 3L, 5L);
    assertThat(actions.seqs()).containsExactly(1L, 2L, 3L, 4L, 5L, 7L);
    assertThat(actions.finishedSyncs).isEqualTo(2);
    assertThat(sequencer.syncing()).isFalse();
    assertThat(actions.acks).containsExactly(3L, 5L, 7L);
  }

  @Test
  void deliversTheNextSeqPushAtOnce() {
    finishInitialSync(5);

    sequencer.onPush(inbox(6));

    assertThat(actions.seqs()).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
    assertThat(actions.acks).endsWith(6L);
    assertThat(actions.syncRequests).hasSize(1);
  }

  @Test
  void syncsToDeliverItsOwnSendOnceAndInOrder() {
    finishInitialSync(5);

    sequencer.onOwnSend(6);
    assertThat(actions.syncRequests).containsExactly(0L, 5L);
    sequencer.onSyncPage(5, page(1, false, 6));
    sequencer.onOwnSend(6); // already delivered: nothing to do

    assertThat(actions.seqs()).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
    assertThat(actions.syncRequests).containsExactly(0L, 5L);
  }

  @Test
  void anOwnSendDuringASyncStartsOneMoreSyncAfterIt() {
    finishInitialSync(5);
    sequencer.onPush(inbox(7)); // a gap: sync from 5 starts
    sequencer.onOwnSend(9);
    sequencer.onSyncPage(5, page(1, false, 6, 7));

    assertThat(actions.syncRequests).containsExactly(0L, 5L, 7L);
    sequencer.onSyncPage(7, page(1, false, 8, 9));
    assertThat(actions.seqs()).endsWith(6L, 7L, 8L, 9L);
    assertThat(sequencer.syncing()).isFalse();
  }

  @Test
  void dropsPushesAtOrBelowTheLastDeliveredSeq() {
    finishInitialSync(5);

    sequencer.onPush(inbox(5));
    sequencer.onPush(inbox(2));

    assertThat(actions.seqs()).containsExactly(1L, 2L, 3L, 4L, 5L);
  }

  @Test
  void holdsAGapPushAndSyncsFromTheLastDeliveredSeq() {
    finishInitialSync(5);

    sequencer.onPush(inbox(8));

    assertThat(actions.seqs()).doesNotContain(8L);
    assertThat(actions.syncRequests).containsExactly(0L, 5L);

    sequencer.onSyncPage(5, page(1, false, 6, 7, 8));

    assertThat(actions.seqs()).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);
    assertThat(sequencer.lastDelivered()).isEqualTo(8);
  }

  @Test
  void deliversAHeldGapPushWhenTheSyncShowsTheGapIsReal() {
    finishInitialSync(5);
    sequencer.onPush(inbox(10_005)); // e.g. a store that restarted into its next seq step

    sequencer.onSyncPage(5, page(1, false));

    assertThat(actions.seqs()).endsWith(5L, 10_005L);
    assertThat(sequencer.syncing()).isFalse();
  }

  @Test
  void deliversHeldPushesAfterSyncInSeqOrder() {
    sequencer.onSignedIn();
    sequencer.onPush(inbox(4));
    sequencer.onPush(inbox(2)); // also in the page: delivered once
    sequencer.onPush(inbox(3));
    assertThat(actions.delivered).isEmpty();

    sequencer.onSyncPage(0, page(1, false, 1, 2));
    // Pushes arrived while that page was read: one more page makes sure none below them is missed.
    assertThat(actions.syncRequests).containsExactly(0L, 2L);
    sequencer.onSyncPage(2, page(1, false));

    assertThat(actions.seqs()).containsExactly(1L, 2L, 3L, 4L);
    assertThat(actions.acks).containsExactly(2L, 4L);
    assertThat(actions.finishedSyncs).isEqualTo(1);
  }

  @Test
  void fetchesAtMostOneExtraPageForPushesHeldDuringTheSync() {
    sequencer.onSignedIn();
    sequencer.onPush(inbox(5));
    sequencer.onSyncPage(0, page(1, false, 1, 2));
    sequencer.onPush(inbox(6)); // still busy: must not cause a third page

    sequencer.onSyncPage(2, page(1, false, 3));

    assertThat(actions.syncRequests).containsExactly(0L, 2L);
    assertThat(actions.seqs()).containsExactly(1L, 2L, 3L, 5L, 6L);
  }

  @Test
  void deliversEachSeqExactlyOnceAcrossOverlappingPagesAndPushes() {
    sequencer.onSignedIn();
    sequencer.onPush(inbox(3));
    sequencer.onSyncPage(0, page(1, true, 1, 2, 3));
    sequencer.onPush(inbox(3));
    sequencer.onPush(inbox(4));
    sequencer.onSyncPage(3, page(1, false, 4, 5));
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
    sequencer.onSyncPage(3, page(1, false, 4, 5, 6));

    assertThat(actions.syncRequests).containsExactly(0L, 3L, 3L);
    assertThat(actions.seqs()).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
  }

  @Test
  void ignoresAPageThatArrivesAfterTheSyncFailed() {
    sequencer.onSignedIn();
    sequencer.onSyncFailed();

    sequencer.onSyncPage(0, page(1, false, 1));

    assertThat(actions.delivered).isEmpty();
    assertThat(sequencer.syncing()).isFalse();
  }

  @Test
  void stopsARunWhosePagesMakeNoProgress() {
    sequencer.onSignedIn();

    sequencer.onSyncPage(0, page(1, true));

    assertThat(actions.syncRequests).containsExactly(0L);
    assertThat(sequencer.syncing()).isFalse();
  }

  @Test
  void resetsTheCursorAndDedupesByMessageIdWhenTheEpochChanges() {
    finishInitialSync(3); // epoch 1, message ids 1001..1003
    sequencer.onPush(inbox(5));

    sequencer.onSyncPage(3, page(2, false, 1, 2));

    // The page from the old cursor is dropped; the sync restarts at 0 in the new seq space.
    assertThat(actions.syncRequests).containsExactly(0L, 3L, 0L);
    assertThat(sequencer.dedupingById()).isTrue();
    assertThat(sequencer.lastDelivered()).isZero();

    // The new space re-numbers two old messages (ids 1002, 1003) and adds a new one.
    sequencer.onSyncPage(
        0,
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
  void doesNotDedupeByMessageIdWhileTheEpochIsUnchanged() {
    finishInitialSync(1);

    sequencer.onPush(inbox(2, 1001)); // a self-send may sit twice in one inbox

    assertThat(actions.seqs()).containsExactly(1L, 2L);
  }

  private void finishInitialSync(long upTo) {
    sequencer.onSignedIn();
    sequencer.onSyncPage(0, page(1, false, LongStream.rangeClosed(1, upTo).toArray()));
    assertThat(sequencer.syncing()).isFalse();
  }

  private static SyncReply page(long epoch, boolean hasMore, long... seqs) {
    SyncReply.Builder page = SyncReply.newBuilder().setEpoch(epoch).setHasMore(hasMore);
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

  private static final class Recorder implements InboxSequencer.Actions {
    final List<Message> delivered = new ArrayList<>();
    final List<Long> syncRequests = new ArrayList<>();
    final List<Long> acks = new ArrayList<>();
    int finishedSyncs;

    @Override
    public void deliver(Message message) {
      delivered.add(message);
    }

    @Override
    public void requestSync(long fromSeq) {
      syncRequests.add(fromSeq);
    }

    @Override
    public void delivered(long seq) {
      acks.add(seq);
    }

    @Override
    public void syncFinished() {
      finishedSyncs++;
    }

    List<Long> seqs() {
      return delivered.stream().filter(m -> m.getSeq() != 0).map(Message::getSeq).toList();
    }
  }
}
