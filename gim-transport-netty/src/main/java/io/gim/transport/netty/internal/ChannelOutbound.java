package io.gim.transport.netty.internal;

import io.gim.protocol.Framing;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOutboundBuffer;
import java.util.ArrayDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outbound side of one channel: packets go out through its loop's {@link LoopOutbox}, which
 * writes them through while the channel is writable: a TCP channel's small packets are framed into
 * one accumulation buffer ({@link #append}) that the outbox writes and flushes once per drain, so a
 * burst of deliveries to this channel costs one pipeline write and one system call. While the
 * channel is not writable, packets are held here in two lanes, priority and ordinary, instead of
 * piling up in Netty's outbound buffer; when the channel drains ({@link #writabilityChanged()}),
 * the priority lane goes first. Held bytes count towards the slow-consumer limit: past it the
 * channel is closed.
 *
 * <p>{@link #send}, {@link #sendPriority} and {@link #close} are thread-safe; everything else runs
 * on the channel's loop only, which owns the lanes (no locks).
 */
public final class ChannelOutbound {
  private static final Logger log = LoggerFactory.getLogger(ChannelOutbound.class);
  private static final int INITIAL_PENDING_BYTES = 256;

  /** An accumulation buffer is written (not yet flushed) once it holds this much. */
  private static final int MAX_PENDING_BYTES = 64 * 1024;

  private static final int MAX_INITIAL_PENDING_BYTES = 16 * 1024;

  final Channel channel;
  final boolean framed;
  private final LoopOutbox outbox;
  private final long maxPendingBytes;

  // Loop-confined. The lanes hold the unframed packets: they are shared with other connections'
  // writes and need no release if the channel dies with them still held.
  private ArrayDeque<byte[]> priority;
  private ArrayDeque<byte[]> ordinary;
  private long heldBytes;
  private boolean holding;
  private boolean closeWhenDrained;
  private boolean closing;
  private boolean draining;

  /** Frames appended since the outbox last wrote this channel; null when there are none. */
  private ByteBuf pending;

  /**
   * How many bytes the last accumulation buffer held (within bounds): the next one starts that big,
   * so a busy channel's buffer rarely grows by copying.
   */
  private int lastPendingBytes = INITIAL_PENDING_BYTES;

  /** Whether the outbox will write and flush this channel at the end of its current drain. */
  boolean touched;

  ChannelOutbound(Channel channel, boolean framed, LoopOutbox outbox, long maxPendingBytes) {
    this.channel = channel;
    this.framed = framed;
    this.outbox = outbox;
    this.maxPendingBytes = maxPendingBytes;
  }

  /** Queues an encoded packet; {@code framed} channels get the TCP length prefix. */
  public void send(byte[] packet) {
    outbox.enqueue(this, packet, false);
  }

  /** Queues an encoded packet ahead of the ordinary packets still held for this channel. */
  public void sendPriority(byte[] packet) {
    outbox.enqueue(this, packet, true);
  }

  /** Queues a graceful close: after the packets queued and held before it are written. */
  public void close() {
    outbox.enqueue(this, null, false);
  }

  /** Whether a packet for this channel must be held rather than written now; on the loop. */
  boolean mustHold() {
    return holding || !channel.isWritable();
  }

  /** Whether packets for this channel are dropped: closed, or a close is queued; on the loop. */
  boolean dropsPackets() {
    return closing || !channel.isActive();
  }

  /** Holds a packet until the channel is writable, or closes it past the limit; on the loop. */
  void hold(byte[] packet, boolean toPriority) {
    ArrayDeque<byte[]> lane = toPriority ? priority : ordinary;
    if (lane == null) {
      lane = new ArrayDeque<>();
      if (toPriority) {
        priority = lane;
      } else {
        ordinary = lane;
      }
    }
    lane.add(packet);
    holding = true;
    heldBytes += wireSize(packet);
    ChannelOutboundBuffer buffer = channel.unsafe().outboundBuffer();
    long unsent = heldBytes + (buffer == null ? 0 : buffer.totalPendingWriteBytes());
    if (unsent > maxPendingBytes) {
      log.info(
          "closing {}: {} unsent bytes (max {})", channel.remoteAddress(), unsent, maxPendingBytes);
      abandon();
      SlowConsumerGuard.markSlow(channel);
      channel.close();
    }
  }

  /**
   * Frames {@code packet} into this channel's accumulation buffer; on the loop, while the channel
   * is writable or draining its lanes. A buffer that grows past {@value #MAX_PENDING_BYTES} bytes
   * is written at once (not flushed).
   */
  void append(byte[] packet) {
    pendingFor(Framing.prefixSize(packet.length) + packet.length);
    TcpFraming.writePrefix(pending, packet.length).writeBytes(packet);
    writePendingIfFull();
  }

  /** Like {@link #append}, with the packet already framed (a frame shared by many channels). */
  void appendFrame(byte[] frame) {
    pendingFor(frame.length);
    pending.writeBytes(frame);
    writePendingIfFull();
  }

  private void pendingFor(int bytes) {
    if (pending == null) {
      pending = channel.alloc().ioBuffer(Math.max(lastPendingBytes, bytes));
    }
  }

  private void writePendingIfFull() {
    if (pending.readableBytes() >= MAX_PENDING_BYTES) {
      writePending();
    }
  }

  /** Writes the accumulation buffer, if any, into the channel without flushing; on the loop. */
  void writePending() {
    ByteBuf buf = pending;
    if (buf != null) {
      pending = null;
      lastPendingBytes =
          Math.min(MAX_INITIAL_PENDING_BYTES, Math.max(INITIAL_PENDING_BYTES, buf.readableBytes()));
      if (channel.isActive()) {
        channel.write(buf, channel.voidPromise());
      } else {
        buf.release();
      }
    }
  }

  /**
   * Closes the channel because a packet for it could not be buffered: what was written before goes
   * out first, nothing after; on the loop.
   */
  void closeForFailedWrite(Throwable cause) {
    if (closing) {
      return;
    }
    log.warn(
        "closing {}: could not buffer a packet for it: {}",
        channel.remoteAddress(),
        cause.toString());
    log.debug("the failure", cause);
    abandon();
    channel.flush();
    channel.close();
  }

  /** Closes after what was queued before; on the loop. */
  void closeAfterQueued() {
    if (closing) {
      return;
    }
    closing = true;
    if (holding) {
      closeWhenDrained = true;
    } else {
      closeNow();
    }
  }

  /**
   * Writes held packets, priority lane first, while the channel stays writable; on the loop. The
   * channel's pipeline calls this when its writability changes.
   */
  public void writabilityChanged() {
    if (!holding || draining || !channel.isWritable()) {
      return;
    }
    draining = true; // a write may report writability changes synchronously
    try {
      while (channel.isWritable() && channel.isActive()) {
        byte[] packet = poll(priority);
        if (packet == null) {
          packet = poll(ordinary);
        }
        if (packet == null) {
          holding = false;
          break;
        }
        heldBytes -= wireSize(packet);
        if (framed) {
          append(packet); // written whenever 64 KiB have gathered, then writability is checked
        } else {
          channel.write(packet, channel.voidPromise());
        }
      }
      writePending();
      channel.flush();
    } catch (RuntimeException | OutOfMemoryError e) {
      closeForFailedWrite(e);
    } finally {
      draining = false;
    }
    if (!holding && closeWhenDrained) {
      closeNow();
    }
  }

  private void closeNow() {
    writePending();
    clearLanes();
    channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
  }

  /** Drops everything not yet written and takes no more packets: an immediate close follows. */
  private void abandon() {
    closing = true;
    clearLanes();
    if (pending != null) {
      pending.release();
      pending = null;
    }
  }

  private void clearLanes() {
    priority = null;
    ordinary = null;
    heldBytes = 0;
    holding = false;
  }

  private int wireSize(byte[] packet) {
    return framed ? Framing.prefixSize(packet.length) + packet.length : packet.length;
  }

  private static byte[] poll(ArrayDeque<byte[]> lane) {
    return lane == null ? null : lane.poll();
  }
}
