package io.gim.transport.netty.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
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
 *
 * <p>Per channel, packets leave in the order {@link #send} was called; a close queued behind them
 * happens after they are written. Thread-safe.
 */
public final class LoopOutbox implements Runnable {
  /** Items one drain handles before yielding the loop to other work (it re-schedules itself). */
  private static final int MAX_ITEMS_PER_DRAIN = 8192;

  private final EventLoop loop;
  private final Queue<Item> queue = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean scheduled = new AtomicBoolean();

  /** The channels written in the current drain; touched only on the loop. */
  private final Set<Channel> touched = Collections.newSetFromMap(new IdentityHashMap<>());

  /** One queued action: a packet to write, or a close after everything queued before it. */
  private record Item(Channel channel, boolean framed, byte[] packet) {}

  LoopOutbox(EventLoop loop) {
    this.loop = loop;
  }

  /** Queues an encoded packet; {@code framed} adds the TCP uvarint length prefix. */
  public void send(Channel channel, boolean framed, byte[] packet) {
    enqueue(new Item(channel, framed, packet));
  }

  /**
   * Queues an encoded packet ahead of ordinary ones still queued here (the priority lane). For now
   * the same queue as {@link #send}.
   */
  public void sendPriority(Channel channel, boolean framed, byte[] packet) {
    enqueue(new Item(channel, framed, packet));
  }

  /** Queues a graceful close: after the packets queued before it are written and flushed. */
  public void close(Channel channel) {
    enqueue(new Item(channel, false, null));
  }

  private void enqueue(Item item) {
    queue.add(item);
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
        Channel ch = item.channel();
        if (item.packet() == null) {
          ch.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
          continue;
        }
        if (!ch.isActive()) {
          continue;
        }
        Object message = item.packet();
        if (item.framed()) {
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
          ch.flush(); // past the high water mark: let the socket drain before writing more
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
