package io.gim.spi.store;

import java.util.Objects;

/**
 * A group's profile.
 *
 * @param id the group id; 0 when creating lets the store choose
 */
public record Group(long id, String name, String avatarUrl, String introduction, String extra) {
  public Group {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(avatarUrl, "avatarUrl");
    Objects.requireNonNull(introduction, "introduction");
    Objects.requireNonNull(extra, "extra");
  }

  /** A group with a name and empty other fields. */
  public static Group named(String name) {
    return new Group(0, name, "", "", "");
  }

  /** This group with another id. */
  public Group withId(long newId) {
    return new Group(newId, name, avatarUrl, introduction, extra);
  }
}
