package io.gim.core.internal;

import io.gim.protocol.Message;
import io.gim.spi.DeviceKey;
import io.gim.spi.cluster.NodeLink;
import io.gim.spi.cluster.RoomEvent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.IntConsumer;

/**
 * Live delivery to the connections of this node, and through the node link (when there is one) to
 * the same users' devices on other nodes. Best effort: sync is the source of truth. Thread-safe;
 * never blocks (writes are queued on each connection).
 */
final class Delivery {
  private final SessionRegistry sessions;
  private final RoomRegistry rooms;
  private final EngineMetrics metrics;
  private final IntConsumer roomDelivered;
  private volatile RemoteDelivery remote;

  Delivery(SessionRegistry sessions, RoomRegistry rooms, EngineMetrics metrics) {
    this.sessions = sessions;
    this.rooms = rooms;
    this.metrics = metrics;
    this.roomDelivered = n -> metrics.delivered("room", n);
  }

  /** Sends inbox and user pushes to other nodes too from now on. */
  void reachOtherNodes(RemoteDelivery remote) {
    this.remote = remote;
  }

  /** A push from another node for devices that should be here; devices not here are skipped. */
  void fromOtherNode(List<NodeLink.DeviceMessage> messages) {
    int n = 0;
    for (NodeLink.DeviceMessage m : messages) {
      Session s = sessions.get(m.device());
      if (s != null && s.serving()) {
        s.send(Packets.message(m.message()));
        n++;
      }
    }
    metrics.delivered("from_node", n);
  }

  /**
   * Delivers an inbox message to every online device of each user but {@code excluded} (null:
   * none), with that user's seq. The packet is encoded once per user and shared by the user's
   * connections.
   */
  int toInboxes(Map<Long, Long> seqs, Message template, DeviceKey excluded) {
    RemoteDelivery other = remote;
    if (other != null) {
      other.toInboxes(seqs, template, excluded);
    }
    int n = 0;
    Packets.InboxPush push = null;
    for (Map.Entry<Long, Long> e : seqs.entrySet()) {
      Session[] targets = sessions.sessionsOf(e.getKey());
      if (targets.length == 0) {
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
    metrics.fanOut("inbox", seqs.size());
    metrics.delivered("inbox", n);
    return n;
  }

  /** Delivers one message to every online device of the users; encoded once for all. */
  int toUsers(Collection<Long> userIds, Message message, DeviceKey excluded) {
    RemoteDelivery other = remote;
    if (other != null) {
      other.toUsers(userIds, message.toByteArray(), excluded);
    }
    byte[] packet = Packets.message(message);
    int n = 0;
    for (long user : userIds) {
      for (Session s : sessions.sessionsOf(user)) {
        if (s.serving() && !s.key().equals(excluded)) {
          s.send(packet);
          n++;
        }
      }
    }
    metrics.delivered("live", n);
    return n;
  }

  /** Handles an event of the room bus: a room's subscribers, or everyone. */
  void onRoomEvent(RoomEvent event) {
    byte[] packet = Packets.message(event.message());
    if (event instanceof RoomEvent.Room room) {
      int n = rooms.deliver(room.roomId(), packet, room.excluded(), room.priority(), roomDelivered);
      metrics.fanOut("room", n);
    } else {
      // Grouped by connection thread: one hop per thread, each write on the connection's own.
      Map<Executor, List<Session>> byThread = new IdentityHashMap<>();
      sessions.forEach(
          s -> byThread.computeIfAbsent(s.connection().executor(), t -> new ArrayList<>()).add(s));
      byThread.forEach(
          (thread, group) ->
              thread.execute(
                  () -> {
                    int n = 0;
                    for (Session s : group) {
                      if (s.serving()) {
                        s.send(packet);
                        n++;
                      }
                    }
                    metrics.delivered("all", n);
                  }));
    }
  }
}
