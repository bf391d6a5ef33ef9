package io.gim.store.redis.internal;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A compact binary form for records kept in one Redis value: big-endian numbers and strings as a
 * length followed by UTF-8. Only Java reads these values; the scripts move them around unread.
 */
final class Packed {
  private Packed() {}

  /** Builds one value field by field. Not thread-safe. */
  static final class Writer {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(64);
    private final ByteBuffer scratch = ByteBuffer.allocate(Long.BYTES);

    Writer putLong(long value) {
      out.write(scratch.clear().putLong(value).array(), 0, Long.BYTES);
      return this;
    }

    Writer putInt(int value) {
      out.write(scratch.clear().putInt(value).array(), 0, Integer.BYTES);
      return this;
    }

    Writer putString(String value) {
      byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
      putInt(utf8.length);
      out.writeBytes(utf8);
      return this;
    }

    byte[] toBytes() {
      return out.toByteArray();
    }
  }

  /** Reads the fields of one value in the order they were written. Not thread-safe. */
  static final class Reader {
    private final ByteBuffer in;

    Reader(byte[] value) {
      this.in = ByteBuffer.wrap(value);
    }

    long getLong() {
      return in.getLong();
    }

    int getInt() {
      return in.getInt();
    }

    String getString() {
      int length = in.getInt();
      String value = new String(in.array(), in.position(), length, StandardCharsets.UTF_8);
      in.position(in.position() + length);
      return value;
    }
  }
}
