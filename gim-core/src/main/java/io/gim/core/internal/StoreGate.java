package io.gim.core.internal;

import java.util.ArrayDeque;

/**
 * Admits the store-bound requests of every connection of a node fairly: at most {@code permits} are
 * in the stores at once, and when a permit frees up it goes to the connection that has waited
 * longest, round robin. A connection pipelining hundreds of requests thus waits its turn like any
 * other instead of filling the store's queue ahead of everyone (where, FIFO, a one-request client
 * would wait behind all of it, or be refused when the queue is full).
 *
 * <p>A session asks for one permit at a time ({@link #request}) and, once admitted on its own
 * thread, asks again if it has more waiting: so sessions take turns. Thread-safe.
 */
final class StoreGate {
  private final int permits;
  private final ArrayDeque<Session> waiting = new ArrayDeque<>();
  private int inUse;

  StoreGate(int permits) {
    this.permits = permits;
  }

  /**
   * Asks for a permit for {@code session}: true if it is granted now (the caller uses it at once),
   * else the session is queued and later gets {@link Session#admitted()} on its own thread, holding
   * a permit. A session asks again only after it was admitted.
   */
  synchronized boolean request(Session session) {
    if (inUse < permits && waiting.isEmpty()) {
      inUse++;
      return true;
    }
    waiting.add(session);
    return false;
  }

  /** Returns a permit; it passes straight to the longest-waiting session, if any. Any thread. */
  void release() {
    Session next;
    synchronized (this) {
      next = waiting.poll();
      if (next == null) {
        inUse--;
        return;
      }
    }
    next.connection().executor().execute(next::admitted);
  }

  /** Permits in use now; for tests and metrics. */
  synchronized int inUse() {
    return inUse;
  }
}
