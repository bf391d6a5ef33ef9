package io.gim.core.internal;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/** The signed-in sessions of this node, by device and by user. Thread-safe. */
final class SessionRegistry {
  private final ConcurrentHashMap<Long, Session> byDevice = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Long, Set<Session>> byUser = new ConcurrentHashMap<>();

  /**
   * Binds a signed-in session to its device, returning the session it displaced (the same device
   * signed in on another connection), or null.
   */
  Session bind(Session session) {
    Session previous = byDevice.put(session.deviceId(), session);
    byUser.compute(
        session.userId(),
        (user, set) -> {
          Set<Session> s = set != null ? set : ConcurrentHashMap.newKeySet();
          s.add(session);
          return s;
        });
    if (previous != null && previous != session) {
      removeFromUser(previous);
      return previous;
    }
    return null;
  }

  /** Unbinds a session if it is still bound; a displaced session is already gone. */
  void unbind(Session session) {
    byDevice.remove(session.deviceId(), session);
    removeFromUser(session);
  }

  private void removeFromUser(Session session) {
    byUser.computeIfPresent(
        session.userId(),
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

  void forEach(Consumer<Session> action) {
    byDevice.values().forEach(action);
  }

  int size() {
    return byDevice.size();
  }
}
