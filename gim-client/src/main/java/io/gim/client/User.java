package io.gim.client;

import java.util.Objects;

/**
 * Who sent a message, as the server describes the sender. Immutable and thread-safe.
 *
 * @param userId the sender's user id
 * @param deviceId the sending device's id (unique within the user); lets a device tell its own
 *     sends apart
 * @param nickname the sender's display name, empty if the server has none
 * @param avatarUrl the sender's avatar, empty if none
 * @param extra host-defined data about the sender, empty if none
 */
public record User(long userId, long deviceId, String nickname, String avatarUrl, String extra) {

  /** Checks that no text is {@code null}; the protocol has no null strings, only empty ones. */
  public User {
    Objects.requireNonNull(nickname, "nickname");
    Objects.requireNonNull(avatarUrl, "avatarUrl");
    Objects.requireNonNull(extra, "extra");
  }
}
