package io.gim.core.internal;

import java.util.ArrayDeque;

/**
 * Admits the store-bound requests of every connection of a node fairly, in two lanes with a budget
 * each: sends (appends) and reads (syncs and acks). At most a lane's permits are in the stores at
 * once, and when one frees up it goes to the connection that has waited longest in that lane, round
 * robin. A connection pipelining hundreds of requests thus waits its turn like any other instead of
 * filling the store's queue ahead of everyone (where, FIFO, a one-request client would wait behind
 * all of it, or be refused when the queue is full).
 *
 * <p>Two lanes because the two kinds cost the stores differently: a sync or ack holds a store
 * thread while it runs, so its budget is about the thread pool; an append waits for a group commit
 * that takes every queued append into a few statements, so a larger budget makes larger commits
 * rather than a longer queue for store threads. With one budget for both, the sends of a send-heavy
 * node were capped at the budget per commit (64 by default: a quarter of the persisted rate the
 * store could do), or a budget raised for them let pipelined syncs crowd out a one-request client.
 *
 * <p>A session asks for one permit at a time ({@link #request}) for the lane of its oldest waiting
 * request and, once admitted on its own thread, asks again if it has more waiting: so sessions take
 * turns. Thread-safe.
 */
final class StoreGate {
  /** Which budget a request draws on. */
  enum Lane {
    SEND,
    READ
  }

  private final Budget sends;
  private final Budget reads;

  StoreGate(int sendPermits, int readPermits) {
    this.sends = new Budget(sendPermits);
    this.reads = new Budget(readPermits);
  }

  /**
   * Asks for a permit of {@code lane} for {@code session}: true if it is granted now (the caller
   * uses it at once), else the session is queued and later gets {@link Session#admitted()} on its
   * own thread, holding a permit of that lane. A session asks again only after it was admitted.
   */
  boolean request(Session session, Lane lane) {
    return budget(lane).request(session);
  }

  /**
   * Returns a permit of {@code lane}; it passes straight to the longest-waiting session of that
   * lane, if any. Any thread.
   */
  void release(Lane lane) {
    Session next = budget(lane).release();
    if (next != null) {
      next.connection().executor().execute(next::admitted);
    }
  }

  private Budget budget(Lane lane) {
    return lane == Lane.SEND ? sends : reads;
  }

  private static final class Budget {
    private final int permits;
    private final ArrayDeque<Session> waiting = new ArrayDeque<>();
    private int inUse;

    Budget(int permits) {
      this.permits = permits;
    }

    synchronized boolean request(Session session) {
      if (inUse < permits && waiting.isEmpty()) {
        inUse++;
        return true;
      }
      waiting.add(session);
      return false;
    }

    /** The session the returned permit passes to, or null if none waits (the permit is free). */
    synchronized Session release() {
      Session next = waiting.poll();
      if (next == null) {
        inUse--;
      }
      return next;
    }
  }
}
