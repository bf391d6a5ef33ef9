package io.gim.core.internal;

import io.gim.spi.DeviceKey;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/** The signed-in sessions of this node, by (user, device) and by user. Thread-safe. */
final class SessionRegistry {
  private final ConcurrentHashMap<DeviceKey, Session> byDevice = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Long, Set<Session>> byUser = new ConcurrentHashMap<>();

  /**
   * Binds a signed-in session to its (user, device), returning the session it displaced (the same
   * device of the same user signed in on another connection), or null. The displaced session is out
   * of both indexes when this returns, so no push reaches it from then on.
   */
  Session bind(Session session) {
    Session previous = byDevice.put(session.key(), session);
    byUser.compute(
        session.key().userId(),
        (user, set) -> {
          Set<Session> s = set != null ? set : ConcurrentHashMap.newKeySet();
          if (previous != null) {
            s.remove(previous);
          }
          s.add(session);
          return s;
        });
    return previous != null && previous != session ? previous : null;
  }

  /** Unbinds a session if it is still bound; a displaced session is already gone. */
  void unbind(Session session) {
    byDevice.remove(session.key(), session);
    byUser.computeIfPresent(
        session.key().userId(),
        (user, set) -> {
          set.remove(session);
          return set.isEmpty() ? null : set;
        });
  }

  /** The sessions of a user on this node; a snapshot-tolerant view. */
  Collection<Session> sessionsOf(long userId) {
    Set<Session> set = byUser.get(userId);
    return set == null ? List.of() : set;
  }

  /** The session of one device on this node, or null. */
  Session get(DeviceKey device) {
    return byDevice.get(device);
  }

  void forEach(Consumer<Session> action) {
    byDevice.values().forEach(action);
  }

  int size() {
    return byDevice.size();
  }
}
