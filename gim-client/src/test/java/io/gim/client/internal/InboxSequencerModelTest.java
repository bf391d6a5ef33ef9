package io.gim.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.gim.protocol.Message;
import io.gim.protocol.SyncReply;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Drives an {@link InboxSequencer} against an {@link InboxModel} with random interleavings of
 * pushes (late, reordered, repeated or lost), own sends, sync pages of random sizes read at random
 * moments, seq gaps, reconnects and epoch changes, and checks the delivery contract after every
 * step. Replay one seed with {@code -Dgim.model.seed=N}.
 */
class InboxSequencerModelTest {

  private static final long BUDGET_NANOS = 3_000_000_000L;
  private static final int MAX_SEEDS = 20_000;

  @Test
  void deliversEveryStoredSeqOnceInOrderAndAcksNothingUndelivered() {
    String replay = System.getProperty("gim.model.seed");
    if (replay != null) {
      runSeed(Long.parseLong(replay));
      return;
    }
    // Seeds run in order, so a failure names the same seed on every machine fast enough to reach
    // it.
    long deadline = System.nanoTime() + BUDGET_NANOS;
    int seeds = 0;
    while (seeds < MAX_SEEDS && (seeds < 200 || System.nanoTime() < deadline)) {
      runSeed(++seeds);
    }
  }

  private static void runSeed(long seed) {
    try {
      new Run(new SplittableRandom(seed)).play();
    } catch (AssertionError e) {
      throw new AssertionError(
          "seed " + seed + " (replay: -Dgim.model.seed=" + seed + "): " + e, e);
    }
  }

  /** One random history: the server's outbound order is one FIFO, as on a real connection. */
  private static final class Run implements InboxSequencer.Actions {
    private final SplittableRandom random;
    private final InboxModel model;
    private final InboxSequencer sequencer = new InboxSequencer(0, -1, 10_000, this);

    private final List<Message> unwrittenPushes = new ArrayList<>();
    private final ArrayDeque<long[]> syncRequests = new ArrayDeque<>();
    private final ArrayDeque<Runnable> wire = new ArrayDeque<>();
    private final Set<Long> deliveredIds = new HashSet<>();
    private boolean connected;
    private long lastRequestId;
    private boolean pageAccepted;
    private boolean expectFromStart;
    private long blindInView = -1;

    Run(SplittableRandom random) {
      this.random = random;
      this.model = new InboxModel(random);
    }

    void play() {
      int preStored = random.nextInt(6);
      for (int i = 0; i < preStored; i++) {
        model.store();
      }
      if (random.nextBoolean()) {
        model.ackEverythingByAnotherDevice();
      }
      int steps = 100 + random.nextInt(200);
      for (int i = 0; i < steps; i++) {
        step();
      }
      quiesce();
      List<Message> owed = model.between(model.epoch(), model.floor(model.epoch()), Long.MAX_VALUE);
      assertThat(deliveredIds)
          .as("ids delivered by the end of epoch %d", model.epoch())
          .containsAll(owed.stream().map(Message::getMessageId).toList());
      assertThat(sequencer.syncing()).isFalse();
    }

    private void step() {
      int roll = random.nextInt(100);
      if (roll < 18) {
        Message m = model.store(); // from another user or device: pushed here, best effort
        if (connected && random.nextInt(10) != 0) {
          unwrittenPushes.add(m);
          if (random.nextInt(20) == 0) {
            unwrittenPushes.add(m);
          }
        }
      } else if (roll < 26) {
        if (connected) {
          Message own = model.store(); // no push to the sending device; its SendReply instead
          wire.add(() -> sequencer.onOwnSend(own.getSeq()));
        }
      } else if (roll < 45) {
        writePush();
      } else if (roll < 60) {
        readSync();
      } else if (roll < 94) {
        deliverWire();
      } else if (roll < 97) {
        if (connected) {
          disconnect();
        } else {
          signIn();
        }
      } else if (roll < 98) {
        model.changeEpoch();
        unwrittenPushes.clear(); // the store's fan-out state went with its seqs
      } else if (!connected) {
        signIn();
      }
    }

    private void quiesce() {
      disconnect();
      signIn();
      for (int i = 0; i < 100_000; i++) {
        if (!wire.isEmpty()) {
          deliverWire();
        } else if (!syncRequests.isEmpty()) {
          readSync();
        } else if (!unwrittenPushes.isEmpty()) {
          writePush();
        } else {
          return;
        }
      }
      fail("no quiet state after 100,000 steps");
    }

    private void writePush() {
      if (unwrittenPushes.isEmpty()) {
        return;
      }
      int i = random.nextInt(4) == 0 ? random.nextInt(unwrittenPushes.size()) : 0;
      Message push = unwrittenPushes.remove(i);
      wire.add(() -> sequencer.onPush(push));
    }

    private void readSync() {
      long[] ask = syncRequests.poll();
      if (ask == null) {
        return;
      }
      SyncReply page = model.read(ask[1], ask[2] == 1, 1 + random.nextInt(4));
      wire.add(() -> onPage(ask[0], page));
    }

    private void onPage(long id, SyncReply page) {
      if (id == lastRequestId && sequencer.syncing()) {
        expectFromStart = pageAccepted && page.getEpoch() != view();
        pageAccepted = true;
      }
      sequencer.onSyncPage(id, page);
    }

    /** The seq space the client believes in: the first one until a page says otherwise. */
    private long view() {
      return sequencer.epoch() == -1 ? 1 : sequencer.epoch();
    }

    private void deliverWire() {
      Runnable next = wire.poll();
      if (next != null) {
        next.run();
      }
    }

    private void disconnect() {
      connected = false;
      unwrittenPushes.clear();
      syncRequests.clear();
      wire.clear();
      sequencer.onDisconnected();
    }

    private void signIn() {
      connected = true;
      sequencer.onSignedIn();
    }

    @Override
    public void requestSync(long requestId, long seq, boolean fromStart) {
      check(connected, "sync requested while disconnected");
      check(!pageAccepted || seq != 0 || fromStart, "seq 0 sent as a cursor after a page was read");
      check(!expectFromStart || seq == 0 && fromStart, "the first sync after an epoch change");
      expectFromStart = false;
      lastRequestId = requestId;
      syncRequests.add(new long[] {requestId, seq, fromStart ? 1 : 0});
    }

    @Override
    public void deliver(Message m) {
      long id = m.getMessageId();
      check(deliveredIds.add(id), "message " + id + " delivered twice");
      long epoch = InboxModel.epochOf(m);
      if (epoch != view()) {
        // A push of a seq space the client has not heard of yet cannot be told apart; the
        // sync that reveals the new epoch re-delivers around it, deduplicated by id.
        blindInView = view();
        return;
      }
      assertDelivered(epoch, m.getSeq() - 1, "before delivering seq " + m.getSeq());
    }

    @Override
    public void delivered(long seq) {
      model.ack(seq);
      if (blindInView != view()) {
        assertDelivered(view(), seq, "before acking seq " + seq);
      }
    }

    @Override
    public void syncFinished() {}

    private void assertDelivered(long epoch, long upTo, String when) {
      for (Message owed : model.between(epoch, model.floor(epoch), upTo)) {
        if (!deliveredIds.contains(owed.getMessageId())) {
          fail("seq %d of epoch %d was not delivered %s", owed.getSeq(), epoch, when);
        }
      }
    }

    /** A plain check: the happy path allocates nothing, since it runs thousands of times. */
    private static void check(boolean ok, String what) {
      if (!ok) {
        fail(what);
      }
    }
  }
}
