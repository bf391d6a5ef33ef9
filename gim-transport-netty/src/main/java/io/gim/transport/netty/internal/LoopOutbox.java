package io.gim.transport.netty.internal;

import io.gim.protocol.Framing;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import java.util.ArrayList;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The outbound queue of one event loop: every packet for a channel of this loop goes through it. A
 * packet sent on the loop itself is written at once when nothing from other threads is queued ahead
 * of it (the common case of a fan-out that runs on the subscribers' loop); packets from other
 * threads are queued and written by one task on the loop, so a burst costs one task instead of one
 * per delivery.
 *
 * <p>A small packet for a TCP channel is framed into that channel's accumulation buffer; a large
 * one sent to many channels is framed once into one buffer that each channel writes as a {@code
 * retainedDuplicate()}. Either way, each channel written since the last drain is written and
 * flushed once at the end of the drain, so one {@code write()} system call carries every message
 * that reached the channel meanwhile. A channel that is not writable gets nothing written: its
 * {@link ChannelOutbound} holds the packets in its priority and ordinary lanes until it drains.
 *
 * <p>Per channel and lane, packets leave in the order they were sent (a packet sent on the loop
 * after packets that other threads queued for it waits behind them); a close queued behind them
 * happens after they are written. Thread-safe.
 */
public final class LoopOutbox implements Runnable {
  /** Items one drain handles before yielding the loop to other work (it re-schedules itself). */
  private static final int MAX_ITEMS_PER_DRAIN = 8192;

  /** Packets up to this size are copied into the channel's buffer; larger ones are shared. */
  private static final int MAX_COPIED_PACKET_BYTES = 512;

  private final EventLoop loop;
  private final long maxPendingBytes;
  private final Queue<Item> queue = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean scheduled = new AtomicBoolean();

  // Loop-confined.
  /** The channels written since the last drain, each flagged {@link ChannelOutbound#touched}. */
  private final ArrayList<ChannelOutbound> touched = new ArrayList<>();

  /** The last large packet framed, and its frame: shared by the channels it goes to. */
  private byte[] lastPacket;

  /**
   * The last small packet written, and its frame once it went to a second channel (an array copied
   * into each channel's buffer).
   */
  private byte[] lastSmallPacket;

  private byte[] lastSmallFrame;

  private ByteBuf lastFrame;

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
    if (loop.inEventLoop() && queue.isEmpty()) {
      handle(target, packet, priority);
      schedule(); // the channel is flushed at the end of the next drain
      return;
    }
    queue.add(new Item(target, packet, priority));
    schedule();
  }

  private void schedule() {
    if (!scheduled.get() && scheduled.compareAndSet(false, true)) {
      loop.execute(this);
    }
  }

  @Override
  public void run() {
    scheduled.set(false);
    try {
      Item item;
      int handled = 0;
      while (handled++ < MAX_ITEMS_PER_DRAIN && (item = queue.poll()) != null) {
        handle(item.target(), item.packet(), item.priority());
      }
    } finally {
      releaseLastFrame();
      lastSmallPacket = null;
      lastSmallFrame = null;
      for (int i = 0; i < touched.size(); i++) {
        ChannelOutbound out = touched.get(i);
        out.touched = false;
        out.writePending();
        out.channel.flush();
      }
      touched.clear();
      if (!queue.isEmpty()) {
        schedule();
      }
    }
  }

  /**
   * Writes, holds, drops or closes as the target's state requires; on the loop. If the packet
   * cannot be buffered (no buffer memory left), the connection is closed after what was written
   * before it: a client must not go on with a silent hole in its stream, and one that reconnects
   * syncs what it missed. The other connections of the drain carry on.
   */
  private void handle(ChannelOutbound out, byte[] packet, boolean priority) {
    try {
      write(out, packet, priority);
    } catch (RuntimeException | OutOfMemoryError e) {
      out.closeForFailedWrite(e);
    }
  }

  private void write(ChannelOutbound out, byte[] packet, boolean priority) {
    if (packet == null) {
      out.closeAfterQueued();
      return;
    }
    if (out.dropsPackets()) {
      return;
    }
    if (out.mustHold()) {
      out.hold(packet, priority);
      return;
    }
    if (out.framed && packet.length <= MAX_COPIED_PACKET_BYTES) {
      if (packet != lastSmallPacket) {
        // A packet's first channel (a 1:1 push or a reply has no other): prefix and body go
        // straight into the channel's buffer, no framed copy.
        lastSmallPacket = packet;
        lastSmallFrame = null;
        out.append(packet);
      } else {
        if (lastSmallFrame == null) {
          lastSmallFrame = Framing.frame(packet); // framed once for the rest of a fan-out
        }
        out.appendFrame(lastSmallFrame);
      }
      if (!out.channel.isWritable()) {
        out.channel.flush(); // a full buffer was written past the high water mark
      }
      touch(out);
      return;
    }
    Channel ch = out.channel;
    Object message = packet;
    if (out.framed) {
      out.writePending(); // what was appended before goes first
      if (packet != lastPacket) {
        releaseLastFrame();
        lastFrame = TcpFraming.frame(ch.alloc(), packet);
        lastPacket = packet;
      }
      message = lastFrame.retainedDuplicate();
    }
    ch.write(message, ch.voidPromise());
    if (!ch.isWritable()) {
      ch.flush(); // past the high water mark: let the socket drain; hold what follows
    } else {
      touch(out);
    }
  }

  private void touch(ChannelOutbound out) {
    if (!out.touched) {
      out.touched = true;
      touched.add(out);
    }
  }

  private void releaseLastFrame() {
    if (lastFrame != null) {
      lastFrame.release();
      lastFrame = null;
      lastPacket = null;
    }
  }
}
