package io.gim.core.internal;

import io.gim.protocol.Message;
import io.gim.spi.DeviceKey;
import io.gim.spi.cluster.RoomEvent;
import java.util.Collection;
import java.util.Map;

/**
 * Live delivery to the connections of this node. Best effort: sync is the source of truth.
 * Thread-safe; never blocks (writes are queued on each connection).
 */
final class Delivery {
  private final SessionRegistry sessions;
  private final RoomRegistry rooms;

  Delivery(SessionRegistry sessions, RoomRegistry rooms) {
    this.sessions = sessions;
    this.rooms = rooms;
  }

  /**
   * Delivers an inbox message to every online device of each user but {@code excluded} (null:
   * none), with that user's seq. The packet is encoded once per user and shared by the user's
   * connections.
   */
  int toInboxes(Map<Long, Long> seqs, Message template, DeviceKey excluded) {
    int n = 0;
    Packets.InboxPush push = null;
    for (Map.Entry<Long, Long> e : seqs.entrySet()) {
      Collection<Session> targets = sessions.sessionsOf(e.getKey());
      if (targets.isEmpty()) {
        continue;
      }
      byte[] packet = null;
      for (Session s : targets) {
        if (!s.serving() || s.key().equals(excluded)) {
          continue;
        }
        if (packet == null) {
          if (push == null) {
            push = new Packets.InboxPush(template); // encoded once, for the first online receiver
          }
          packet = push.packet(e.getValue());
        }
        s.send(packet);
        n++;
      }
    }
    return n;
  }

  /** Delivers one encoded packet to every online device of the users; encoded once for all. */
  int toUsers(Collection<Long> userIds, byte[] packet, DeviceKey excluded) {
    int n = 0;
    for (long user : userIds) {
      for (Session s : sessions.sessionsOf(user)) {
        if (s.serving() && !s.key().equals(excluded)) {
          s.send(packet);
          n++;
        }
      }
    }
    return n;
  }

  /** Handles an event of the room bus: a room's subscribers, or everyone. */
  void onRoomEvent(RoomEvent event) {
    byte[] packet = Packets.message(event.message());
    if (event instanceof RoomEvent.Room room) {
      rooms.deliver(room.roomId(), packet, room.excluded(), room.priority());
    } else {
      sessions.forEach(
          s -> {
            if (s.serving()) {
              s.send(packet);
            }
          });
    }
  }
}
