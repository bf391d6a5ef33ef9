package io.gim.bench;

import io.netty.buffer.ByteBuf;

/**
 * Finds a field of a protobuf message encoded in a buffer range without decoding the message: walks
 * tags and skips what it does not want. Only what the load side needs: a length-delimited field's
 * range and a varint field's value. Not thread-safe: one per connection (it keeps the last range
 * found).
 */
final class ProtoFields {
  private static final int VARINT = 0;
  private static final int I64 = 1;
  private static final int LEN = 2;
  private static final int I32 = 5;

  /** The range of the last length-delimited field found. */
  int offset;

  int length;

  private int pos; // the cursor of varint()

  /**
   * Finds the last occurrence of length-delimited field {@code field} in {@code [from, to)} into
   * {@link #offset} and {@link #length}; false if absent.
   */
  boolean bytes(ByteBuf buf, int from, int to, int field) {
    boolean found = false;
    pos = from;
    while (pos < to) {
      long tag = varint(buf);
      int type = (int) tag & 7;
      if (type == LEN) {
        int len = (int) varint(buf);
        if (tag >>> 3 == field) {
          offset = pos;
          length = len;
          found = true;
        }
        pos += len;
      } else {
        skip(buf, type);
      }
    }
    return found;
  }

  /** The value of the last varint field {@code field} in {@code [from, to)}, or 0 if absent. */
  long varint(ByteBuf buf, int from, int to, int field) {
    long value = 0;
    pos = from;
    while (pos < to) {
      long tag = varint(buf);
      int type = (int) tag & 7;
      if (type == VARINT && tag >>> 3 == field) {
        value = varint(buf);
      } else if (type == LEN) {
        int len = (int) varint(buf); // not "pos += varint(buf)": that adds to the old pos
        pos += len;
      } else {
        skip(buf, type);
      }
    }
    return value;
  }

  private void skip(ByteBuf buf, int type) {
    switch (type) {
      case VARINT -> varint(buf);
      case I64 -> pos += 8;
      case I32 -> pos += 4;
      default -> throw new IllegalStateException("protobuf wire type " + type);
    }
  }

  private long varint(ByteBuf buf) {
    long v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      byte b = buf.getByte(pos++);
      v |= (long) (b & 0x7f) << shift;
      if (b >= 0) {
        return v;
      }
    }
    throw new IllegalStateException("varint: more than 10 bytes");
  }
}
