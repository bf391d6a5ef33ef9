package io.gim.client.internal;

import io.gim.protocol.Message;
import io.gim.protocol.SyncReply;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns sync pages and live pushes into exactly-once, in-seq-order delivery of a user's inbox. Not
 * thread-safe: confine an instance to one thread (the client's event loop).
 *
 * <p>Rules. Seq 0 messages (rooms, broadcasts) are delivered at once. An inbox message is delivered
 * only if its seq is above the last delivered one. A push that is exactly the next seq is delivered
 * at once; a larger one is held and starts a sync, since seqs may have gaps but pushes are best
 * effort and sync is the source of truth. While a sync runs every push is held; when the last page
 * ({@code has_more = false}) is in, the held pushes still above the cursor are delivered in seq
 * order. If a push was held while the final page was being read, the page may predate it and miss a
 * seq below it, so one more page is fetched first (at most once per sync run, so a busy inbox
 * cannot keep delivery waiting).
 *
 * <p>Epochs. {@code SyncReply.epoch} names the server store's seq space. If it changes between two
 * syncs, the store lost its seq state: the cursor goes back to 0, the sync restarts, and from then
 * on a message whose {@code message_id} is among the last {@code dedupeCapacity} delivered ids is
 * skipped, since the new seq space may hand out old messages again.
 */
public final class InboxSequencer {

  /** What the sequencer asks of its owner; called on the sequencer's thread. */
  public interface Actions {
    /** Hands one message to the application. */
    void deliver(Message message);

    /** Sends {@code SyncRequest{seq = fromSeq}}; the answer comes back via {@link #onSyncPage}. */
    void requestSync(long fromSeq);

    /** A batch of deliveries moved the cursor; {@code seq} is the new cursor, to acknowledge. */
    void delivered(long seq);

    /** A sync run ended with {@code has_more = false} and its held pushes were delivered. */
    void syncFinished();
  }

  private static final Logger log = LoggerFactory.getLogger(InboxSequencer.class);

  private final Actions actions;
  private final int dedupeCapacity;
  private final TreeMap<Long, Message> held = new TreeMap<>();
  private final LinkedHashSet<Long> recentIds = new LinkedHashSet<>();

  private long lastDelivered;
  private long epoch;
  private boolean epochKnown;
  private boolean dedupeById;
  private boolean syncing;
  private long syncFrom = -1;
  private boolean heldSinceRequest;
  private boolean followUpUsed;
  private boolean cursorMoved;

  private long ownSendPending;

  public InboxSequencer(long initialSeq, int dedupeCapacity, Actions actions) {
    this.lastDelivered = initialSeq;
    this.dedupeCapacity = dedupeCapacity;
    this.actions = actions;
  }

  /** The largest inbox seq delivered (in the current epoch's seq space). */
  public long lastDelivered() {
    return lastDelivered;
  }

  /** Whether a sync run is in progress. */
  public boolean syncing() {
    return syncing;
  }

  /** Whether deduplication by message id is on, i.e. the epoch changed once. */
  public boolean dedupingById() {
    return dedupeById;
  }

  /** A connection signed in: sync from the cursor, holding pushes until it ends. */
  public void onSignedIn() {
    startSync();
  }

  /** The connection is gone: the next sign-in's sync fetches whatever was held. */
  public void onDisconnected() {
    syncing = false;
    syncFrom = -1;
    held.clear();
  }

  /** The sync request was not answered with a page; the owner drops the connection. */
  public void onSyncFailed() {
    onDisconnected();
  }

  /**
   * This device's own send was stored at {@code seq} of the inbox. The server pushes it to the
   * user's other devices only, so the sequencer syncs to deliver it here too, in order.
   */
  public void onOwnSend(long seq) {
    if (seq <= lastDelivered) {
      return;
    }
    if (syncing) {
      ownSendPending = Math.max(ownSendPending, seq);
      return;
    }
    startSync();
  }

  /** A live {@code PC_MESSAGE}. */
  public void onPush(Message m) {
    if (m.getSeq() == 0) {
      deliverNow(m);
      return;
    }
    if (m.getSeq() <= lastDelivered) {
      return;
    }
    if (syncing) {
      held.put(m.getSeq(), m);
      heldSinceRequest = true;
      return;
    }
    if (m.getSeq() == lastDelivered + 1) {
      deliverInOrder(m);
      endBatch();
      return;
    }
    held.put(m.getSeq(), m);
    startSync();
  }

  /** The answer to the sync started with {@code fromSeq}; stale pages are ignored. */
  public void onSyncPage(long fromSeq, SyncReply page) {
    if (!syncing || fromSeq != syncFrom) {
      log.debug("Ignoring a sync page from seq {}; expected {}", fromSeq, syncFrom);
      return;
    }
    if (epochKnown && page.getEpoch() != epoch) {
      log.warn(
          "Store epoch changed from {} to {}: resyncing from seq 0, deduplicating by message id",
          epoch,
          page.getEpoch());
      epoch = page.getEpoch();
      dedupeById = true;
      lastDelivered = 0;
      held.clear(); // held seqs belong to whichever space; the resync returns what is stored
      requestPage(0);
      return;
    }
    epoch = page.getEpoch();
    epochKnown = true;

    long before = lastDelivered;
    for (Message m : page.getMessagesList()) {
      if (m.getSeq() == 0) {
        deliverNow(m);
      } else if (m.getSeq() > lastDelivered) {
        deliverInOrder(m);
      }
    }
    endBatch();

    if (page.getHasMore()) {
      if (lastDelivered == before) {
        // A full page that moves nothing would spin forever; the next gap or reconnect retries.
        log.warn("Sync from seq {} returned has_more without progress; stopping this run", fromSeq);
        finishSync();
        return;
      }
      requestPage(lastDelivered);
      return;
    }
    if (heldSinceRequest && !followUpUsed && !held.isEmpty() && held.lastKey() > lastDelivered) {
      followUpUsed = true;
      requestPage(lastDelivered);
      return;
    }
    finishSync();
  }

  private void startSync() {
    syncing = true;
    followUpUsed = false;
    requestPage(lastDelivered);
  }

  private void requestPage(long from) {
    syncFrom = from;
    heldSinceRequest = false;
    actions.requestSync(from);
  }

  private void finishSync() {
    syncing = false;
    syncFrom = -1;
    while (!held.isEmpty()) {
      Map.Entry<Long, Message> first = held.pollFirstEntry();
      if (first.getKey() > lastDelivered) {
        deliverInOrder(first.getValue());
      }
    }
    endBatch();
    actions.syncFinished();
    if (ownSendPending > lastDelivered && !syncing) {
      ownSendPending = 0;
      startSync();
    }
  }

  /** Delivers an inbox message whose seq is above the cursor, moving the cursor past it. */
  private void deliverInOrder(Message m) {
    lastDelivered = m.getSeq();
    cursorMoved = true; // a skipped duplicate still counts as had, so it is acknowledged too
    long id = m.getMessageId();
    if (id != 0) {
      if (dedupeById && recentIds.contains(id)) {
        return;
      }
      remember(id);
    }
    actions.deliver(m);
  }

  private void deliverNow(Message m) {
    actions.deliver(m);
  }

  private void remember(long id) {
    recentIds.add(id);
    if (recentIds.size() > dedupeCapacity) {
      recentIds.remove(recentIds.iterator().next());
    }
  }

  private void endBatch() {
    if (cursorMoved) {
      cursorMoved = false;
      actions.delivered(lastDelivered);
    }
  }
}
