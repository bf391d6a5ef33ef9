package io.gim.spi.store;

import java.util.Objects;

/**
 * A member of a group.
 *
 * @param userId the member
 * @param nickname the member's name in the group
 * @param type {@code GroupMemberType} (0 default; host-defined values above 0, e.g. admin)
 * @param status {@code GroupMemberStatus} (0 default; e.g. muted above 0)
 * @param extra host data
 */
public record GroupMember(long userId, String nickname, int type, int status, String extra) {
  public GroupMember {
    Objects.requireNonNull(nickname, "nickname");
    Objects.requireNonNull(extra, "extra");
  }

  /** A default member with no nickname. */
  public static GroupMember of(long userId) {
    return new GroupMember(userId, "", 0, 0, "");
  }
}
