package io.gim.core.internal;

import io.gim.spi.DeviceKey;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The signed-in sessions of this node, by (user, device) and by user. Thread-safe. A user's
 * sessions are a small array replaced on every change (most users have one or two devices online):
 * 24 bytes for one session instead of a concurrent set's 200, and reads need no lock.
 */
final class SessionRegistry {
  private static final Session[] NONE = new Session[0];

  private final ConcurrentHashMap<DeviceKey, Session> byDevice = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Long, Session[]> byUser = new ConcurrentHashMap<>();

  /**
   * Binds a signed-in session to its (user, device), returning the session it displaced (the same
   * device of the same user signed in on another connection), or null. The displaced session is out
   * of both indexes when this returns, so no push reaches it from then on.
   */
  Session bind(Session session) {
    Session previous = byDevice.put(session.key(), session);
    byUser.compute(
        session.key().userId(),
        (user, current) -> {
          Session[] kept = without(current != null ? current : NONE, previous);
          Session[] next = Arrays.copyOf(kept, kept.length + 1);
          next[kept.length] = session;
          return next;
        });
    return previous != null && previous != session ? previous : null;
  }

  /** Unbinds a session if it is still bound; a displaced session is already gone. */
  void unbind(Session session) {
    byDevice.remove(session.key(), session);
    byUser.computeIfPresent(
        session.key().userId(),
        (user, current) -> {
          Session[] next = without(current, session);
          return next.length == 0 ? null : next;
        });
  }

  /** The sessions of a user on this node: a snapshot, which nobody modifies (callers neither). */
  Session[] sessionsOf(long userId) {
    Session[] sessions = byUser.get(userId);
    return sessions == null ? NONE : sessions;
  }

  /** {@code sessions} less {@code gone} (null: none); the same array if it was not there. */
  private static Session[] without(Session[] sessions, Session gone) {
    for (int i = 0; gone != null && i < sessions.length; i++) {
      if (sessions[i] == gone) {
        Session[] next = new Session[sessions.length - 1];
        System.arraycopy(sessions, 0, next, 0, i);
        System.arraycopy(sessions, i + 1, next, i, sessions.length - i - 1);
        return next;
      }
    }
    return sessions;
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
