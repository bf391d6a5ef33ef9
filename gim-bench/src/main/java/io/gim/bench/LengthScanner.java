package io.gim.bench;

import io.netty.buffer.ByteBuf;

/**
 * Counts the frames of a stream of {@code uvarint(length) ++ body} frames without decoding them: a
 * load subscriber that only counts reads each received buffer once, byte by byte in the lengths and
 * not at all in the bodies, and makes no object per frame. A frame counts once its last body byte
 * arrived; lengths and bodies may be split anywhere across buffers. Not thread-safe: one per
 * connection, on its event loop.
 */
final class LengthScanner {
  private long bodyLeft; // bytes of the current frame's body not seen yet
  private boolean inBody;
  private long length; // the length read so far, while in a length
  private int shift;

  /** Scans {@code buf} (readable bytes; not consumed); returns the frames it completed. */
  long scan(ByteBuf buf) {
    long frames = 0;
    int i = buf.readerIndex();
    int end = buf.writerIndex();
    while (i < end) {
      if (inBody) {
        long n = Math.min(bodyLeft, end - i);
        i += (int) n;
        bodyLeft -= n;
        if (bodyLeft == 0) {
          inBody = false;
          frames++;
        }
        continue;
      }
      byte b = buf.getByte(i++);
      length |= (long) (b & 0x7f) << shift;
      if (b < 0) {
        shift += 7;
        if (shift > 35) {
          throw new IllegalStateException("frame length: more than 5 varint bytes");
        }
        continue;
      }
      bodyLeft = length;
      length = 0;
      shift = 0;
      if (bodyLeft == 0) {
        frames++;
      } else {
        inBody = true;
      }
    }
    return frames;
  }
}
