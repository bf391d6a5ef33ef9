package io.gim.transport.netty.internal;

import io.gim.protocol.Framing.LengthParser;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The connections of one event loop, in the order they last read, and the one timer that closes
 * those idle past the read-idle timeout: one scheduled task per loop instead of a handler and a
 * timer task per channel (about 200 bytes each on an idle connection). A read moves its connection
 * to the tail, so the head is always the next to expire and a sweep looks at no connection that is
 * not due. Also lends its loop's connections a frame-length parser, which holds state only during
 * one call.
 *
 * <p>Not thread-safe: confined to its loop, like the channels it holds.
 */
final class LoopConnections {
  private final EventLoop loop;
  private final long idleNanos;
  private final LengthParser parser;
  private SessionBridge head;
  private SessionBridge tail;
  private ScheduledFuture<?> sweep;

  LoopConnections(EventLoop loop, long idleNanos, int maxFrameBytes) {
    this.loop = loop;
    this.idleNanos = idleNanos;
    this.parser = new LengthParser(maxFrameBytes);
  }

  LengthParser parser() {
    return parser;
  }

  /** A connection starts its read-idle time now (as at a read). */
  void add(SessionBridge c, long nowNanos) {
    c.lastReadNanos = nowNanos;
    append(c);
    if (sweep == null) {
      schedule(nowNanos);
    }
  }

  /** The connection read something: it expires last now. */
  void read(SessionBridge c, long nowNanos) {
    c.lastReadNanos = nowNanos;
    if (c != tail && c.listed) {
      unlink(c);
      append(c);
    }
  }

  /** The connection closed: no longer watched. */
  void remove(SessionBridge c) {
    if (c.listed) {
      unlink(c);
    }
    if (head == null && sweep != null) {
      sweep.cancel(false);
      sweep = null;
    }
  }

  private void sweep() {
    sweep = null;
    long now = System.nanoTime();
    while (head != null && now - head.lastReadNanos >= idleNanos) {
      SessionBridge idle = head;
      unlink(idle);
      idle.readIdle();
    }
    if (head != null) {
      schedule(now);
    }
  }

  private void schedule(long nowNanos) {
    long delay = Math.max(0, head.lastReadNanos + idleNanos - nowNanos);
    sweep = loop.schedule(this::sweep, delay, TimeUnit.NANOSECONDS);
  }

  private void append(SessionBridge c) {
    c.prev = tail;
    c.next = null;
    if (tail == null) {
      head = c;
    } else {
      tail.next = c;
    }
    tail = c;
    c.listed = true;
  }

  private void unlink(SessionBridge c) {
    if (c.prev == null) {
      head = c.next;
    } else {
      c.prev.next = c.next;
    }
    if (c.next == null) {
      tail = c.prev;
    } else {
      c.next.prev = c.prev;
    }
    c.prev = null;
    c.next = null;
    c.listed = false;
  }
}
