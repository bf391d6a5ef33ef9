package io.gim.client.internal;

import io.gim.protocol.Message;
import io.gim.protocol.SyncReply;
import java.util.LinkedHashSet;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns sync pages and live pushes into exactly-once, in-seq-order delivery of a user's inbox. Not
 * thread-safe: confine an instance to one thread (the client's event loop).
 *
 * <p>The cursor is the largest seq the device has; everything at or below it was delivered (or, for
 * a new device, predates the user's largest ack). It only moves through two doors: a sync page,
 * which by the protocol's prefix visibility holds every seq between its start and its last message,
 * and a push whose seq is exactly cursor + 1, which has nothing before it. Seqs may have gaps in
 * the store, so a push further ahead proves nothing: it is held and a sync runs. While a sync runs
 * every push is held. After each page, held pushes that follow the cursor are delivered; a run ends
 * only when the cursor has reached every seq known to exist (held pushes, own sends), otherwise it
 * syncs again from the cursor. Only two pages in a row that move nothing end a run early (a push
 * the store cannot show yet); the held pushes are then dropped, never delivered past a possible
 * gap, and the next push or reconnect syncs again.
 *
 * <p>Seq 0. A request with {@code seq = 0} means "where a new device starts" (the user's largest
 * ack), so it is sent only while the cursor is not anchored in the current epoch; afterwards a
 * cursor of 0 is asked for with {@code from_start}. A page sets the cursor to {@code max(start_seq,
 * last seq)}, even when empty.
 *
 * <p>Epochs. {@code SyncReply.epoch} names the server store's seq space. If it changes, the store
 * lost its seq state: the cursor goes back to 0, the sync restarts with {@code from_start}, and
 * from then on a message whose {@code message_id} is among the last {@code dedupeCapacity}
 * delivered ids is skipped, since the new seq space may hand out old messages again. A push at or
 * below the cursor whose id was never delivered hints at such a change unseen yet, so it starts a
 * sync. Pushes held before the first page are not delivered from the hold, since their seq space is
 * not known to be the page's. What no client can see: a push of a new seq space that arrives before
 * any page shows the change and happens to be cursor + 1 is delivered at once, ahead of the new
 * space's lower seqs, which the resync then brings (nothing is lost or delivered twice).
 */
public final class InboxSequencer {

  /** What the sequencer asks of its owner; called on the sequencer's thread. */
  public interface Actions {
    /** Hands one message to the application. */
    void deliver(Message message);

    /**
     * Sends {@code SyncRequest{seq, from_start}}; the answer comes back through {@link #onSyncPage}
     * with the same {@code requestId}.
     */
    void requestSync(long requestId, long seq, boolean fromStart);

    /** A batch of deliveries moved the cursor; {@code seq} is the new cursor, to acknowledge. */
    void delivered(long seq);

    /** A sync run ended: the cursor reached every seq known to exist, or the run gave up. */
    void syncFinished();
  }

  /** Pages in a row that may move nothing before a run gives up on its held pushes. */
  private static final int MAX_IDLE_PAGES = 2;

  private static final Logger log = LoggerFactory.getLogger(InboxSequencer.class);

  private final Actions actions;
  private final int dedupeCapacity;
  private final TreeMap<Long, Message> held = new TreeMap<>();
  private final LinkedHashSet<Long> recentIds = new LinkedHashSet<>();

  private long cursor;
  private boolean anchored;
  private long epoch;
  private boolean epochKnown;
  private boolean dedupeById;
  private boolean syncing;
  private long requestId;
  private long awaitedRequest = -1;
  private long awaitedSeq;
  private long prefetchedRequest = -1;
  private long prefetchedSeq;
  private int idlePages;
  private long knownSeq;
  private boolean cursorMoved;

  /**
   * @param initialSeq the cursor the application already has; 0 for a device that has nothing yet
   * @param initialEpoch the epoch of {@code initialSeq}, or -1 if unknown
   */
  public InboxSequencer(long initialSeq, long initialEpoch, int dedupeCapacity, Actions actions) {
    this.cursor = initialSeq;
    this.epochKnown = initialEpoch != -1;
    this.epoch = initialEpoch;
    // A known epoch means a page was read in it: its cursor, 0 included, is the device's own.
    this.anchored = initialSeq > 0 || epochKnown;
    this.dedupeCapacity = dedupeCapacity;
    this.actions = actions;
  }

  /** The largest inbox seq the device has (in the current epoch's seq space). */
  public long lastDelivered() {
    return cursor;
  }

  /** The store epoch of the last page read (or the initial one), -1 if unknown. */
  public long epoch() {
    return epochKnown ? epoch : -1;
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
    awaitedRequest = -1;
    prefetchedRequest = -1;
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
    if (seq <= cursor) {
      return;
    }
    knownSeq = Math.max(knownSeq, seq);
    if (!syncing) {
      startSync();
    }
  }

  /** A live {@code PC_MESSAGE}. */
  public void onPush(Message m) {
    long seq = m.getSeq();
    if (seq == 0) {
      actions.deliver(m);
      return;
    }
    if (seq <= cursor) {
      if (!syncing && m.getMessageId() != 0 && !recentIds.contains(m.getMessageId())) {
        // Not a repeat of something delivered: the store may have started a new seq space.
        startSync();
      }
      return;
    }
    if (!syncing && seq == cursor + 1) {
      deliverInOrder(m);
      endBatch();
      return;
    }
    held.put(seq, m);
    knownSeq = Math.max(knownSeq, seq);
    if (!syncing) {
      startSync();
    }
  }

  /**
   * The awaited page {@code id} has arrived but is not decoded yet: if it says there is more, in
   * the epoch the cursor belongs to, the next page is asked for now, after the seq the cursor will
   * have once this page is applied ({@code next}). Its answer waits until this page has been
   * applied; then it is used only if the run still wants a page. Seqs may have gaps, so the next
   * request can only follow a page whose last seq is known; a page that never comes makes the owner
   * drop the connection, and the next sign-in syncs from the cursor.
   */
  public void onPageArriving(long id, boolean hasMore, long pageEpoch, long next) {
    if (!syncing
        || id != awaitedRequest
        || prefetchedRequest != -1
        || !hasMore
        || !epochKnown
        || pageEpoch != epoch
        || next <= cursor) {
      return;
    }
    prefetchedRequest = ++requestId;
    prefetchedSeq = next;
    actions.requestSync(prefetchedRequest, next, false);
  }

  /** The answer to the sync request {@code id}; a page nobody waits for is ignored. */
  public void onSyncPage(long id, SyncReply page) {
    if (!syncing || id != awaitedRequest) {
      log.debug("Ignoring sync page {}; expected {}", id, awaitedRequest);
      return;
    }
    if (epochKnown && page.getEpoch() != epoch) {
      log.warn(
          "Store epoch changed from {} to {}: resyncing from the start", epoch, page.getEpoch());
      epoch = page.getEpoch();
      dedupeById = true;
      cursor = 0;
      anchored = true; // 0 is now "the start of the new space", asked for with from_start
      knownSeq = 0; // seqs heard of so far belong to the old space
      held.clear();
      idlePages = 0;
      prefetchedRequest = -1; // asked in the old seq space: its answer is ignored
      requestPage();
      return;
    }
    if (!epochKnown) {
      // Pushes held before the first page may come from a seq space this page does not share;
      // the run syncs on until it has their seqs, so drop only the message copies.
      held.clear();
    }
    epoch = page.getEpoch();
    epochKnown = true;
    anchored = true;

    long before = cursor;
    applyPage(page);
    deliverHeldThatFollowTheCursor();
    endBatch();
    // A page asked for below the cursor (pushes moved it meanwhile) may move nothing and still
    // not repeat itself: only a page from the cursor that moves nothing would come back the same.
    idlePages = cursor == before && awaitedSeq == before ? idlePages + 1 : 0;

    if (page.getHasMore() && idlePages == 0) {
      nextPage();
    } else if (page.getHasMore()) {
      // A full page that moves nothing would come back the same forever.
      log.warn("Sync from seq {} returned has_more without progress; ending this run", before);
      giveUp();
    } else if (knownSeq <= cursor) {
      finishSync();
    } else if (idlePages < MAX_IDLE_PAGES) {
      // Something above the cursor exists; the page may predate it, so ask again rather than
      // deliver it past a seq this page could not show.
      nextPage();
    } else {
      log.info(
          "Seq {} is not visible to sync from seq {}; waiting for the next sync", knownSeq, cursor);
      giveUp();
    }
  }

  private void applyPage(SyncReply page) {
    for (Message m : page.getMessagesList()) {
      if (m.getSeq() == 0) {
        actions.deliver(m);
      } else if (m.getSeq() > cursor) {
        deliverInOrder(m);
      }
    }
    if (page.getStartSeq() > cursor) {
      // A new device starts after the user's largest ack: what lies below is had elsewhere.
      cursor = page.getStartSeq();
      cursorMoved = true;
    }
  }

  private void deliverHeldThatFollowTheCursor() {
    held.headMap(cursor, true).clear();
    while (!held.isEmpty() && held.firstKey() == cursor + 1) {
      deliverInOrder(held.pollFirstEntry().getValue());
    }
  }

  private void startSync() {
    syncing = true;
    idlePages = 0;
    prefetchedRequest = -1;
    requestPage();
  }

  /** Awaits the page asked for ahead, if any, else asks from the cursor. */
  private void nextPage() {
    if (prefetchedRequest == -1) {
      requestPage();
      return;
    }
    awaitedRequest = prefetchedRequest;
    awaitedSeq = prefetchedSeq;
    prefetchedRequest = -1;
  }

  private void requestPage() {
    awaitedRequest = ++requestId;
    awaitedSeq = cursor;
    // Seq 0 without from_start asks for a new device's start, only right before the first page.
    actions.requestSync(awaitedRequest, cursor, cursor == 0 && anchored);
  }

  private void giveUp() {
    held.clear();
    knownSeq = cursor;
    finishSync();
  }

  private void finishSync() {
    syncing = false;
    awaitedRequest = -1;
    prefetchedRequest = -1;
    actions.syncFinished();
  }

  /** Delivers an inbox message whose seq is above the cursor, moving the cursor past it. */
  private void deliverInOrder(Message m) {
    cursor = m.getSeq();
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

  private void remember(long id) {
    recentIds.add(id);
    if (recentIds.size() > dedupeCapacity) {
      recentIds.remove(recentIds.iterator().next());
    }
  }

  private void endBatch() {
    if (cursorMoved) {
      cursorMoved = false;
      actions.delivered(cursor);
    }
  }
}
