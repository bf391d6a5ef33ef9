package io.gim.core.internal;

import io.gim.spi.DeviceKey;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.IntConsumer;

/**
 * The room subscriptions of this node. A room exists only while it has a subscriber, so an empty
 * room costs nothing. Thread-safe.
 *
 * <p>A room's subscribers are kept grouped by their connection's thread, in arrays (of at most
 * {@value #MAX_GROUP_SIZE}) that are replaced, never changed, when someone joins or leaves
 * (subscriptions change rarely, deliveries often). A delivery hands each group to its thread as one
 * task, which writes the packet to the group's connections there: one hop per thread per message
 * instead of one per subscriber, and each write happens on the connection's own thread, where the
 * transport can append it to what is already pending for that connection.
 */
final class RoomRegistry {
  private static final Group[] NO_GROUPS = new Group[0];

  /**
   * The most sessions in one group: a join copies one group, so a big room costs a bounded copy per
   * join; a thread with more of the room's subscribers gets several groups.
   */
  private static final int MAX_GROUP_SIZE = 512;

  private final ConcurrentHashMap<Long, Group[]> rooms = new ConcurrentHashMap<>();

  /** The subscribers of one room whose connections share {@code thread}. */
  private record Group(Executor thread, Session[] sessions) {
    /** Writes the packet to every session that still serves, but {@code excluded}; counts them. */
    void write(byte[] packet, DeviceKey excluded, boolean priority, IntConsumer delivered) {
      int n = 0;
      for (Session s : sessions) {
        if (s.serving() && (excluded == null || !excluded.equals(s.key()))) {
          if (priority) {
            s.connection().sendPriority(packet);
          } else {
            s.send(packet);
          }
          n++;
        }
      }
      delivered.accept(n);
    }
  }

  void join(long roomId, Session session) {
    Executor thread = session.connection().executor();
    rooms.compute(
        roomId,
        (id, groups) -> {
          Group[] gs = groups != null ? groups : NO_GROUPS;
          for (Group g : gs) {
            if (indexOf(g.sessions(), session) >= 0) {
              return gs;
            }
          }
          for (int i = 0; i < gs.length; i++) {
            if (gs[i].thread() == thread && gs[i].sessions().length < MAX_GROUP_SIZE) {
              Session[] grown = Arrays.copyOf(gs[i].sessions(), gs[i].sessions().length + 1);
              grown[grown.length - 1] = session;
              Group[] copy = gs.clone();
              copy[i] = new Group(thread, grown);
              return copy;
            }
          }
          Group[] copy = Arrays.copyOf(gs, gs.length + 1);
          copy[gs.length] = new Group(thread, new Session[] {session});
          return copy;
        });
  }

  void leave(long roomId, Session session) {
    rooms.computeIfPresent(
        roomId,
        (id, gs) -> {
          for (int i = 0; i < gs.length; i++) {
            int at = indexOf(gs[i].sessions(), session);
            if (at < 0) {
              continue;
            }
            Session[] old = gs[i].sessions();
            if (old.length > 1) {
              Session[] shrunk = new Session[old.length - 1];
              System.arraycopy(old, 0, shrunk, 0, at);
              System.arraycopy(old, at + 1, shrunk, at, old.length - at - 1);
              Group[] copy = gs.clone();
              copy[i] = new Group(gs[i].thread(), shrunk);
              return copy;
            }
            if (gs.length == 1) {
              return null; // the room's last subscriber left
            }
            Group[] copy = new Group[gs.length - 1];
            System.arraycopy(gs, 0, copy, 0, i);
            System.arraycopy(gs, i + 1, copy, i, gs.length - i - 1);
            return copy;
          }
          return gs;
        });
  }

  /**
   * Writes {@code packet} to every subscriber but {@code excluded} (null: none), through the
   * priority lane if {@code priority}, each on its connection's thread; returns how many
   * subscribers the room has. The writes happen after this returns: each thread reports how many it
   * wrote to {@code delivered}.
   */
  int deliver(
      long roomId, byte[] packet, DeviceKey excluded, boolean priority, IntConsumer delivered) {
    Group[] gs = rooms.get(roomId);
    if (gs == null) {
      return 0;
    }
    int n = 0;
    for (Group g : gs) {
      g.thread().execute(() -> g.write(packet, excluded, priority, delivered));
      n += g.sessions().length;
    }
    return n;
  }

  /** How many rooms have at least one subscriber on this node. */
  int roomCount() {
    return rooms.size();
  }

  int subscriberCount(long roomId) {
    Group[] gs = rooms.get(roomId);
    int n = 0;
    for (Group g : gs == null ? NO_GROUPS : gs) {
      n += g.sessions().length;
    }
    return n;
  }

  private static int indexOf(Session[] sessions, Session session) {
    for (int i = 0; i < sessions.length; i++) {
      if (sessions[i] == session) {
        return i;
      }
    }
    return -1;
  }
}
