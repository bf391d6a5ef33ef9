package io.gim.core.internal;

import io.gim.spi.DeviceKey;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The room subscriptions of this node. A room exists only while it has a subscriber, so an empty
 * room costs nothing. Thread-safe.
 */
final class RoomRegistry {
  private final ConcurrentHashMap<Long, Set<Session>> rooms = new ConcurrentHashMap<>();

  void join(long roomId, Session session) {
    rooms.compute(
        roomId,
        (id, set) -> {
          Set<Session> s = set != null ? set : ConcurrentHashMap.newKeySet();
          s.add(session);
          return s;
        });
  }

  void leave(long roomId, Session session) {
    rooms.computeIfPresent(
        roomId,
        (id, set) -> {
          set.remove(session);
          return set.isEmpty() ? null : set;
        });
  }

  /**
   * Writes {@code packet} to every subscriber but {@code excluded} (null: none), through the
   * priority lane if {@code priority}; returns the count.
   */
  int deliver(long roomId, byte[] packet, DeviceKey excluded, boolean priority) {
    Set<Session> set = rooms.get(roomId);
    if (set == null) {
      return 0;
    }
    int n = 0;
    for (Session s : set) {
      if (s.serving() && !s.key().equals(excluded)) {
        if (priority) {
          s.connection().sendPriority(packet);
        } else {
          s.send(packet);
        }
        n++;
      }
    }
    return n;
  }

  /** How many rooms have at least one subscriber on this node. */
  int roomCount() {
    return rooms.size();
  }

  int subscriberCount(long roomId) {
    Set<Session> set = rooms.get(roomId);
    return set == null ? 0 : set.size();
  }
}
