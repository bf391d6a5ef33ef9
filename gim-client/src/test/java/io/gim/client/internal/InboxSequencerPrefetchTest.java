package io.gim.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.gim.protocol.Message;
import io.gim.protocol.MessageCommand;
import io.gim.protocol.SyncReply;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Asking for the next sync page as soon as a page with more has arrived, before applying it. */
class InboxSequencerPrefetchTest {

  private final List<String> events = new ArrayList<>();
  private final List<Long> seqs = new ArrayList<>();
  private long lastRequest;

  private final InboxSequencer.Actions actions =
      new InboxSequencer.Actions() {
        @Override
        public void deliver(Message m) {
          events.add("deliver " + m.getSeq());
          seqs.add(m.getSeq());
        }

        @Override
        public void requestSync(long requestId, long seq, boolean fromStart) {
          events.add("ask " + requestId + " after " + seq + (fromStart ? " from start" : ""));
          lastRequest = requestId;
        }

        @Override
        public void delivered(long seq) {}

        @Override
        public void syncFinished() {
          events.add("finished");
        }
      };

  /** A device with nothing yet in a known epoch 1. */
  private final InboxSequencer sequencer = new InboxSequencer(0, 1, 1_000, actions);

  private static SyncReply page(long epoch, long startSeq, boolean hasMore, long... seqs) {
    SyncReply.Builder page =
        SyncReply.newBuilder().setEpoch(epoch).setStartSeq(startSeq).setHasMore(hasMore);
    for (long seq : seqs) {
      page.addMessages(
          Message.newBuilder()
              .setCommand(MessageCommand.MC_USER_MESSAGE)
              .setSeq(seq)
              .setMessageId(1000 + seq));
    }
    return page.build();
  }

  /** What the engine does with an arriving page: peek, then apply. */
  private void arrive(long id, SyncReply page) throws Exception {
    SyncPeek peek = SyncPeek.of(page.toByteString());
    sequencer.onPageArriving(id, peek.hasMore(), peek.epoch(), peek.next());
    sequencer.onSyncPage(id, page);
  }

  @Test
  void asksAfterTheArrivingPagesLastSeqBeforeDeliveringItAndOnlyOncePerPage() throws Exception {
    sequencer.onSignedIn();
    arrive(1, page(1, 0, true, 2, 5, 7));
    arrive(2, page(1, 7, false, 9));

    assertThat(events)
        .containsExactly(
            "ask 1 after 0 from start",
            "ask 2 after 7",
            "deliver 2",
            "deliver 5",
            "deliver 7",
            "deliver 9",
            "finished");
  }

  @Test
  void theNextStartOfAnEmptyPageWithMoreIsItsStartSeq() throws Exception {
    SyncPeek peek = SyncPeek.of(page(1, 40, true).toByteString());
    assertThat(peek.next()).isEqualTo(40);
    assertThat(peek.hasMore()).isTrue();
    assertThat(SyncPeek.of(page(3, 40, false, 41, 97).toByteString()))
        .isEqualTo(new SyncPeek(false, 3, 97));
  }

  @Test
  void doesNotAskAheadFromAPageOfAnotherEpochButResyncsFromTheStart() throws Exception {
    sequencer.onSignedIn();
    arrive(1, page(2, 0, true, 1, 2));

    assertThat(events).containsExactly("ask 1 after 0 from start", "ask 2 after 0 from start");
    assertThat(seqs).isEmpty();
  }

  @Test
  void aPageAskedAheadThatPushesHaveOvertakenIsNotMistakenForOneThatMovesNothing()
      throws Exception {
    sequencer.onSignedIn();
    sequencer.onPush(page(1, 0, false, 4).getMessages(0)); // held during the sync
    sequencer.onPush(page(1, 0, false, 5).getMessages(0));
    arrive(1, page(1, 0, true, 1, 2, 3)); // asks after 3; the held 4 and 5 follow the page
    arrive(2, page(1, 3, true, 4, 5)); // asked after 3: moves nothing, yet is no loop
    arrive(lastRequest, page(1, 5, false, 6));

    assertThat(seqs).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
    assertThat(events)
        .containsSubsequence("ask 2 after 3", "ask 3 after 5", "deliver 6", "finished");
    assertThat(sequencer.syncing()).isFalse();
  }

  @Test
  void aPageNobodyAwaitsAsksForNothing() throws Exception {
    sequencer.onSignedIn();
    sequencer.onPageArriving(7, true, 1, 100);
    sequencer.onDisconnected();
    sequencer.onPageArriving(1, true, 1, 100);

    assertThat(events).containsExactly("ask 1 after 0 from start");
  }
}
