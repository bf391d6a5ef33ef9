package io.gim.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * Cuts a stream of {@code uvarint(length) ++ body} frames, arriving as raw reads split anywhere,
 * into whole frames handed to a {@link Sink} in place: a frame inside one read is never copied;
 * only a frame split across reads is gathered into one small buffer kept for the connection. No
 * object per frame. Not thread-safe: one per connection, on its event loop.
 */
final class FrameSplitter {
  private static final int MAX_FRAME_BYTES = 16 << 20; // the load trusts its server; a sanity cap

  /** Receives each whole frame's body: {@code buf} bytes {@code [offset, offset + length)}. */
  interface Sink {
    void frame(ByteBuf buf, int offset, int length);
  }

  private final ByteBuf pending =
      Unpooled.buffer(256); // a frame split across reads, from its start

  /** Hands every frame completed by {@code in} (readable bytes; not consumed) to {@code sink}. */
  void split(ByteBuf in, Sink sink) {
    int i = in.readerIndex();
    int end = in.writerIndex();
    if (pending.isReadable()) {
      i = completePending(in, i, end, sink);
    }
    while (i < end) {
      int length = 0;
      int j = i;
      boolean whole = false;
      for (int shift = 0; j < end; shift += 7) {
        byte b = in.getByte(j++);
        length |= (b & 0x7f) << shift;
        if (b >= 0) {
          whole = true;
          break;
        }
        checkShift(shift);
      }
      if (!whole || end - j < length) {
        pending.writeBytes(in, i, end - i);
        return;
      }
      checkLength(length);
      sink.frame(in, j, length);
      i = j + length;
    }
  }

  /**
   * Moves bytes of {@code in} into the pending frame until it is whole; returns where it stopped.
   */
  private int completePending(ByteBuf in, int i, int end, Sink sink) {
    while (i < end) {
      int length = 0;
      int header = -1;
      for (int k = pending.readerIndex(), shift = 0; k < pending.writerIndex(); shift += 7) {
        byte b = pending.getByte(k++);
        length |= (b & 0x7f) << shift;
        if (b >= 0) {
          header = k - pending.readerIndex();
          break;
        }
        checkShift(shift);
      }
      if (header < 0) {
        pending.writeByte(in.getByte(i++)); // the length itself was split
        continue;
      }
      checkLength(length);
      int need = header + length - pending.readableBytes();
      int take = Math.min(need, end - i);
      pending.writeBytes(in, i, take);
      i += take;
      if (take == need) {
        sink.frame(pending, pending.readerIndex() + header, length);
        pending.clear();
      }
      return i;
    }
    return i;
  }

  private static void checkShift(int shift) {
    if (shift >= 28) {
      throw new IllegalStateException("frame length: more than 5 varint bytes");
    }
  }

  private static void checkLength(int length) {
    if (length < 0 || length > MAX_FRAME_BYTES) {
      throw new IllegalStateException("frame length: " + length);
    }
  }
}
