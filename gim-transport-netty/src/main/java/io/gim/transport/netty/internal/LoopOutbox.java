package io.gim.transport.netty.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The outbound queue of one event loop: every packet for a channel of this loop, from any thread,
 * goes through it. A burst of writes (a room or group fan-out, many pushes) costs one task on the
 * loop instead of one per delivery, a TCP packet sent to many channels is framed once into one
 * buffer that each channel writes as a {@code retainedDuplicate()}, and each channel is flushed
 * once per drain (one {@code write()} system call for many messages) rather than once per message.
 * A channel that is not writable gets nothing written: its {@link ChannelOutbound} holds the
 * packets in its priority and ordinary lanes until it drains.
 *
 * <p>Per channel and lane, packets leave in the order they were queued; a close queued behind them
 * happens after they are written. Thread-safe.
 */
public final class LoopOutbox implements Runnable {
  /** Items one drain handles before yielding the loop to other work (it re-schedules itself). */
  private static final int MAX_ITEMS_PER_DRAIN = 8192;

  private final EventLoop loop;
  private final long maxPendingBytes;
  private final Queue<Item> queue = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean scheduled = new AtomicBoolean();

  /** The channels written in the current drain; touched only on the loop. */
  private final Set<Channel> touched = Collections.newSetFromMap(new IdentityHashMap<>());

  /** One queued action: a packet to write, or (no packet) a close after everything before it. */
  private record Item(ChannelOutbound target, byte[] packet, boolean priority) {}

  LoopOutbox(EventLoop loop, long maxPendingBytes) {
    this.loop = loop;
    this.maxPendingBytes = maxPendingBytes;
  }

  /**
   * The outbound side of {@code channel}, a channel of this loop: {@code framed} adds the TCP
   * length prefix. Its held packets and the channel's unsent bytes together may not pass the
   * maximum of this outbox.
   */
  public ChannelOutbound register(Channel channel, boolean framed) {
    return new ChannelOutbound(channel, framed, this, maxPendingBytes);
  }

  void enqueue(ChannelOutbound target, byte[] packet, boolean priority) {
    queue.add(new Item(target, packet, priority));
    if (scheduled.compareAndSet(false, true)) {
      loop.execute(this);
    }
  }

  @Override
  public void run() {
    scheduled.set(false);
    byte[] lastPacket = null;
    ByteBuf lastFrame = null;
    try {
      Item item;
      int handled = 0;
      while (handled++ < MAX_ITEMS_PER_DRAIN && (item = queue.poll()) != null) {
        ChannelOutbound out = item.target();
        if (item.packet() == null) {
          out.closeAfterQueued();
          continue;
        }
        if (out.dropsPackets()) {
          continue;
        }
        if (out.mustHold()) {
          out.hold(item.packet(), item.priority());
          continue;
        }
        Channel ch = out.channel;
        Object message = item.packet();
        if (out.framed) {
          if (item.packet() != lastPacket) {
            if (lastFrame != null) {
              lastFrame.release();
              lastFrame = null; // if framing the next one throws, the finally must not release it
            }
            lastFrame = TcpFraming.frame(ch.alloc(), item.packet());
            lastPacket = item.packet();
          }
          message = lastFrame.retainedDuplicate();
        }
        ch.write(message, ch.voidPromise());
        if (!ch.isWritable()) {
          ch.flush(); // past the high water mark: let the socket drain; hold what follows
        } else {
          touched.add(ch);
        }
      }
    } finally {
      if (lastFrame != null) {
        lastFrame.release();
      }
      for (Channel ch : touched) {
        ch.flush();
      }
      touched.clear();
      if (!queue.isEmpty() && scheduled.compareAndSet(false, true)) {
        loop.execute(this);
      }
    }
  }
}
