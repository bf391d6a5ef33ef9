package io.gim.spi.cluster;

import io.gim.spi.DeviceKey;
import java.util.Objects;

/**
 * A live-only message for the connections of every node: a room's subscribers or everyone.
 *
 * <p>Immutable and thread-safe.
 */
public sealed interface RoomEvent {

  /** The encoded {@code Message} to deliver; not to be modified. */
  byte[] message();

  /**
   * A message for the current subscribers of a room.
   *
   * @param roomId the room
   * @param message the encoded {@code Message}
   * @param priority GIM's {@code is_priority}: deliver ahead of ordinary room traffic
   * @param excluded the device that must not receive it (the sender's), or null for none
   */
  record Room(long roomId, byte[] message, boolean priority, DeviceKey excluded)
      implements RoomEvent {
    public Room {
      Objects.requireNonNull(message, "message");
    }
  }

  /**
   * A message for every signed-in connection.
   *
   * @param message the encoded {@code Message}
   */
  record All(byte[] message) implements RoomEvent {
    public All {
      Objects.requireNonNull(message, "message");
    }
  }
}
