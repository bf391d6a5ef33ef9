package io.gim.protocol;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.MessageLite;
import java.io.IOException;

/**
 * The TCP framing of the wire protocol, {@code uvarint(length) ++ Packet bytes}: the unsigned
 * LEB128 varint that Go's {@code binary.PutUvarint} and protobuf's {@code writeUInt32NoTag} write.
 * The one implementation that the server, the client, the test kit and the benchmarks share; their
 * Netty codecs are thin adapters over it.
 *
 * <p>Writing: {@link #prefixSize}, {@link #writePrefix} into an array, {@link #prefixByte} one byte
 * at a time into any buffer, or {@link #frame} a whole frame. Reading: a {@link LengthParser} takes
 * the prefix a byte at a time and says whether the length is complete, still needs bytes, is over
 * the caller's maximum or is malformed, so that a reader rejects an over-long frame before it
 * allocates or buffers the body.
 *
 * <p>The static methods are thread-safe and allocate only what they return; a {@link LengthParser}
 * is not thread-safe (one per connection).
 */
public final class Framing {
  /** The longest length prefix: a 32-bit length needs at most five 7-bit groups. */
  public static final int MAX_PREFIX_BYTES = 5;

  private Framing() {}

  /** How many bytes the prefix of a {@code length}-byte body takes (1 to 5). */
  public static int prefixSize(int length) {
    checkLength(length);
    int size = 1;
    while ((length >>>= 7) != 0) {
      size++;
    }
    return size;
  }

  /**
   * Byte {@code index} (from 0) of the prefix of a {@code length}-byte body: for writing the prefix
   * into a buffer without an intermediate array. {@code index} must be below {@code
   * prefixSize(length)}.
   */
  public static byte prefixByte(int length, int index) {
    int group = (length >>> (7 * index)) & 0x7F;
    // The fifth group is the last: an int has no bits past it (and a shift by 35 would wrap).
    boolean more = index < MAX_PREFIX_BYTES - 1 && (length >>> (7 * (index + 1))) != 0;
    return (byte) (more ? group | 0x80 : group);
  }

  /**
   * Writes the prefix of a {@code length}-byte body into {@code dst} at {@code offset} and returns
   * the offset after it.
   *
   * @throws IndexOutOfBoundsException if the prefix does not fit
   */
  public static int writePrefix(int length, byte[] dst, int offset) {
    int size = prefixSize(length);
    if (offset < 0 || offset > dst.length - size) {
      throw new IndexOutOfBoundsException(
          "prefix of " + size + " bytes at " + offset + " of " + dst.length);
    }
    for (int i = 0; i < size; i++) {
      dst[offset + i] = prefixByte(length, i);
    }
    return offset + size;
  }

  /** A new array holding the frame of {@code body}: its prefix, then the body. */
  public static byte[] frame(byte[] body) {
    byte[] frame = new byte[prefixSize(body.length) + body.length];
    int at = writePrefix(body.length, frame, 0);
    System.arraycopy(body, 0, frame, at, body.length);
    return frame;
  }

  /** A new array holding the frame of {@code message}, encoded in one pass. */
  public static byte[] frame(MessageLite message) {
    int size = message.getSerializedSize();
    byte[] frame = new byte[prefixSize(size) + size];
    int at = writePrefix(size, frame, 0);
    CodedOutputStream out = CodedOutputStream.newInstance(frame, at, size);
    try {
      message.writeTo(out);
    } catch (IOException e) {
      throw new IllegalStateException("writing to an array cannot fail", e);
    }
    out.checkNoSpaceLeft();
    return frame;
  }

  private static void checkLength(int length) {
    if (length < 0) {
      throw new IllegalArgumentException("length: " + length + " (expected: >= 0)");
    }
  }

  /** What a {@link LengthParser} knows after the bytes it has been given. */
  public enum Status {
    /** The prefix is not complete yet: give it the next byte. */
    NEED_MORE,
    /** The prefix is complete and the length is within the maximum: read {@code length()} bytes. */
    COMPLETE,
    /** The prefix is complete and announces more than the maximum: a protocol error. */
    TOO_LONG,
    /** The prefix runs past {@link #MAX_PREFIX_BYTES} bytes: a protocol error. */
    MALFORMED
  }

  /**
   * Reads one length prefix a byte at a time, and the next one after {@link #reset()}. Once it has
   * said anything but {@link Status#NEED_MORE} it keeps saying so until reset. Not thread-safe: one
   * per connection, used by the thread that reads it.
   */
  public static final class LengthParser {
    private final int maxLength;
    private long value;
    private int bytes;
    private Status status = Status.NEED_MORE;

    /** A parser that accepts lengths up to {@code maxLength} bytes. */
    public LengthParser(int maxLength) {
      checkLength(maxLength);
      this.maxLength = maxLength;
    }

    /** Takes the next byte of the prefix. */
    public Status next(byte b) {
      if (status != Status.NEED_MORE) {
        return status;
      }
      value |= (long) (b & 0x7F) << (7 * bytes);
      bytes++;
      if (b >= 0) {
        status = value > maxLength ? Status.TOO_LONG : Status.COMPLETE;
      } else if (bytes == MAX_PREFIX_BYTES) {
        status = Status.MALFORMED;
      }
      return status;
    }

    /** Starts on the next prefix. */
    public void reset() {
      value = 0;
      bytes = 0;
      status = Status.NEED_MORE;
    }

    /** The body length; valid once the status is {@link Status#COMPLETE}. */
    public int length() {
      if (status != Status.COMPLETE) {
        throw new IllegalStateException("no complete length: " + status);
      }
      return (int) value;
    }

    /** The length the prefix announces, also when it is too long; for error messages. */
    public long announcedLength() {
      return value;
    }

    /** How many prefix bytes this parser has taken since the last reset. */
    public int prefixBytes() {
      return bytes;
    }

    /** The largest length this parser accepts. */
    public int maxLength() {
      return maxLength;
    }
  }
}
