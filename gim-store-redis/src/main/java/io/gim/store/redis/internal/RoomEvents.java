package io.gim.store.redis.internal;

import io.gim.spi.DeviceKey;
import io.gim.spi.cluster.RoomEvent;
import java.nio.ByteBuffer;

/**
 * The bytes of a {@link RoomEvent} on the Redis channel, big-endian:
 *
 * <pre>
 * room: 0x01, flags (0x01 priority, 0x02 excluded), room id (8), [user id (8), device id (8)], message
 * all:  0x02, message
 * </pre>
 *
 * A later format takes a new first byte, so that nodes of a rolling upgrade drop what they cannot
 * read instead of misreading it.
 */
final class RoomEvents {
  private static final byte ROOM = 1;
  private static final byte ALL = 2;
  private static final int PRIORITY = 1;
  private static final int EXCLUDED = 2;

  private RoomEvents() {}

  static byte[] encode(RoomEvent event) {
    if (event instanceof RoomEvent.Room room) {
      DeviceKey excluded = room.excluded();
      int flags = (room.priority() ? PRIORITY : 0) | (excluded != null ? EXCLUDED : 0);
      ByteBuffer out =
          ByteBuffer.allocate(10 + (excluded != null ? 16 : 0) + room.message().length)
              .put(ROOM)
              .put((byte) flags)
              .putLong(room.roomId());
      if (excluded != null) {
        out.putLong(excluded.userId()).putLong(excluded.deviceId());
      }
      return out.put(room.message()).array();
    }
    byte[] message = ((RoomEvent.All) event).message();
    return ByteBuffer.allocate(1 + message.length).put(ALL).put(message).array();
  }

  /**
   * The event in {@code payload}.
   *
   * @throws IllegalArgumentException if the payload is not one this class wrote
   */
  static RoomEvent decode(byte[] payload) {
    ByteBuffer in = ByteBuffer.wrap(payload);
    if (!in.hasRemaining()) {
      throw new IllegalArgumentException("empty room event");
    }
    byte type = in.get();
    if (type == ALL) {
      return new RoomEvent.All(rest(in));
    }
    if (type != ROOM) {
      throw new IllegalArgumentException("unknown room event type " + type);
    }
    if (in.remaining() < 9) {
      throw new IllegalArgumentException("room event of " + payload.length + " bytes");
    }
    int flags = in.get();
    if ((flags & ~(PRIORITY | EXCLUDED)) != 0) {
      throw new IllegalArgumentException("unknown room event flags " + flags);
    }
    long roomId = in.getLong();
    DeviceKey excluded = null;
    if ((flags & EXCLUDED) != 0) {
      if (in.remaining() < 16) {
        throw new IllegalArgumentException("room event of " + payload.length + " bytes");
      }
      excluded = DeviceKey.of(in.getLong(), in.getLong());
    }
    return new RoomEvent.Room(roomId, rest(in), (flags & PRIORITY) != 0, excluded);
  }

  private static byte[] rest(ByteBuffer in) {
    byte[] message = new byte[in.remaining()];
    in.get(message);
    return message;
  }
}
