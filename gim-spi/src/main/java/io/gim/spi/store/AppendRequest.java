package io.gim.spi.store;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

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
    if (userIds.stream().distinct().count() != userIds.size()) {
      throw new IllegalArgumentException("userIds: " + userIds + " (expected: distinct)");
    }
    if (dedupe != null) {
      Objects.requireNonNull(dedupeWindow, "dedupeWindow");
    }
  }

  /** A request without dedupe. */
  public static AppendRequest of(NewMessage message, List<Long> userIds) {
    return new AppendRequest(message, userIds, null, null);
  }
}
