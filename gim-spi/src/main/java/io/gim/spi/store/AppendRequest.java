package io.gim.spi.store;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One message for the inboxes of many users.
 *
 * @param message the message, stored once
 * @param userIds the receivers, distinct, at least one; each gets one inbox entry
 * @param dedupe the idempotency key of a client send, or {@code null}
 * @param dedupeWindow how long {@code dedupe} is remembered; ignored when {@code dedupe} is null
 */
public record AppendRequest(
    NewMessage message, List<Long> userIds, DedupeKey dedupe, Duration dedupeWindow) {
  public AppendRequest {
    Objects.requireNonNull(message, "message");
    userIds = List.copyOf(userIds);
    if (userIds.isEmpty()) {
      throw new IllegalArgumentException("userIds: empty (expected: at least one receiver)");
    }
    if (!distinct(userIds)) {
      throw new IllegalArgumentException("userIds: " + userIds + " (expected: distinct)");
    }
    if (dedupe != null) {
      Objects.requireNonNull(dedupeWindow, "dedupeWindow");
    }
  }

  /**
   * True if no id occurs twice. Every send makes a request, so this is on the hot path: a 1:1 send
   * has two ids, and a stream's {@code distinct()} allocated about 450 bytes to check them.
   */
  private static boolean distinct(List<Long> ids) {
    int n = ids.size();
    if (n <= 16) {
      for (int i = 1; i < n; i++) {
        long id = ids.get(i);
        for (int j = 0; j < i; j++) {
          if (ids.get(j) == id) {
            return false;
          }
        }
      }
      return true;
    }
    Set<Long> seen = new HashSet<>(n * 2);
    for (Long id : ids) {
      if (!seen.add(id)) {
        return false;
      }
    }
    return true;
  }

  /** A request without dedupe. */
  public static AppendRequest of(NewMessage message, List<Long> userIds) {
    return new AppendRequest(message, userIds, null, null);
  }
}
