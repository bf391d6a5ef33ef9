package io.gim.bench;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Sends from every load connection of one event loop, on that loop, in ticks of a fixed period:
 * each tick works out how many sends are due, writes each connection's share as copies of its
 * pre-encoded {@link SendTemplate} into one buffer and flushes it once. No thread besides the loop,
 * no task or protobuf object per send, no spinning: the loop sleeps in epoll between ticks.
 *
 * <p>At a fixed rate, send {@code k} of a phase is due at {@code start + k / rate} and is stamped
 * with that intended time, not with the time it went out: a send held back by a late tick or a full
 * window carries its wait into every latency measured from it (no coordinated omission). Without a
 * rate every connection is topped up to its window each tick and stamped with the tick's time.
 * Start and stop from any thread; the phase state is touched only on the loop.
 */
final class LoopPacer implements Runnable {
  private final EventLoop loop;
  private final List<LoadHandler> senders;
  private final List<SendTemplate> templates;
  private final Counters counters;

  // Phase state: on the loop only.
  private double nanosPerSend; // 0: as fast as the windows allow
  private int window;
  private long start;
  private long sentInPhase;
  private long maxMessages;
  private int fanout;
  private long inFlightLimit;
  private int next;
  private Future<?> ticks;
  private volatile boolean finished;
  private volatile long behind;

  private LoopPacer(EventLoop loop, Counters counters) {
    this.loop = loop;
    this.senders = new ArrayList<>();
    this.templates = new ArrayList<>();
    this.counters = counters;
  }

  /** One pacer per event loop of {@code senders}; {@code templates.get(i)} is sender i's send. */
  static List<LoopPacer> of(
      List<LoadHandler> senders, List<SendTemplate> templates, Counters counters) {
    Map<EventLoop, LoopPacer> byLoop = new LinkedHashMap<>();
    for (int i = 0; i < senders.size(); i++) {
      EventLoop loop = senders.get(i).channel().eventLoop();
      LoopPacer p = byLoop.computeIfAbsent(loop, l -> new LoopPacer(l, counters));
      p.senders.add(senders.get(i));
      p.templates.add(templates.get(i));
    }
    return List.copyOf(byLoop.values());
  }

  int senders() {
    return senders.size();
  }

  /**
   * Starts a phase: {@code rate} sends per second from this loop (0: as fast as the windows allow),
   * at most {@code window} unacknowledged per connection and {@code maxMessages} in all, one tick
   * every {@code tickNanos}. Across all loops, at most {@code inFlightLimit} messages may be not
   * yet fully delivered ({@code fanout} deliveries each): an acknowledged room message may still be
   * on its way to its subscribers, and the load must not bury them.
   */
  CompletableFuture<Void> start(
      double rate, int window, long maxMessages, int fanout, long inFlightLimit, long tickNanos) {
    CompletableFuture<Void> started = new CompletableFuture<>();
    loop.execute(
        () -> {
          this.nanosPerSend = rate > 0 ? 1e9 / rate : 0;
          this.window = window;
          this.maxMessages = maxMessages;
          this.fanout = fanout;
          this.inFlightLimit = inFlightLimit;
          this.sentInPhase = 0;
          this.finished = false;
          this.start = System.nanoTime();
          ticks = loop.scheduleAtFixedRate(this, 0, tickNanos, TimeUnit.NANOSECONDS);
          started.complete(null);
        });
    return started;
  }

  /** Ends the phase: no send after the returned future completes. */
  CompletableFuture<Void> stop() {
    CompletableFuture<Void> stopped = new CompletableFuture<>();
    loop.execute(
        () -> {
          if (ticks != null) {
            ticks.cancel(false);
            ticks = null;
            behind = 0;
            if (nanosPerSend > 0) {
              long due = (long) ((System.nanoTime() - start) / nanosPerSend) + 1;
              behind = Math.max(0, Math.min(due, maxMessages) - sentInPhase);
            }
          }
          stopped.complete(null);
        });
    return stopped;
  }

  /**
   * At a fixed rate, the sends that were due by the end of the last phase but never went out (the
   * windows were full): they have no latency recorded, so a run behind its rate understates it.
   */
  long behind() {
    return behind;
  }

  /** True once this phase sent its {@code maxMessages}. */
  boolean finished() {
    return finished;
  }

  /** One tick. */
  @Override
  public void run() {
    long now = System.nanoTime();
    long due =
        nanosPerSend > 0 ? (long) ((now - start) / nanosPerSend) + 1 - sentInPhase : Long.MAX_VALUE;
    long undelivered = counters.sent.sum() - counters.delivered.sum() / fanout;
    due = Math.min(Math.min(due, maxMessages - sentInPhase), inFlightLimit - undelivered);
    long sentBefore = sentInPhase;
    int n = senders.size();
    // At a rate, round-robin in small shares so every connection sends about equally often;
    // without one, each connection fills its window.
    for (boolean progress = true; due > 0 && progress; ) {
      progress = false;
      long share = nanosPerSend > 0 ? Math.max(1, due / n) : Long.MAX_VALUE;
      for (int k = 0; k < n && due > 0; k++) {
        int i = next;
        next = next + 1 == n ? 0 : next + 1;
        LoadHandler h = senders.get(i);
        int count = (int) Math.min(Math.min(share, due), window - h.inFlight());
        if (count > 0) {
          send(h, templates.get(i), count, now);
          due -= count;
          progress = true;
        }
      }
    }
    if (sentInPhase > sentBefore) {
      counters.sent.add(sentInPhase - sentBefore);
    }
    if (sentInPhase >= maxMessages) {
      finished = true;
    }
  }

  private void send(LoadHandler h, SendTemplate t, int count, long now) {
    Channel ch = h.channel();
    ByteBuf buf = ch.alloc().directBuffer(count * t.frameBytes());
    for (int j = 0; j < count; j++) {
      long stamp = nanosPerSend > 0 ? start + (long) (sentInPhase * nanosPerSend) : now;
      t.writeTo(buf, stamp);
      sentInPhase++;
    }
    h.sent(count);
    ch.writeAndFlush(buf, ch.voidPromise());
  }
}
