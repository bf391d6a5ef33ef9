package io.gim.examples.quickstart;

import java.util.Locale;

/**
 * Where the chat sends a typed line: a user, a group or a room. Immutable and thread-safe.
 *
 * @param kind user, group or room
 * @param id the user, group or room id
 */
record Target(Kind kind, long id) {

  /** What the id names. */
  enum Kind {
    USER,
    GROUP,
    ROOM
  }

  /** The target of {@code --to}, {@code --group} or {@code --room}, or null if none is given. */
  static Target fromOptions(Options options) {
    Target target = null;
    for (Kind kind : Kind.values()) {
      String name = kind == Kind.USER ? "to" : kind.name().toLowerCase(Locale.ROOT);
      if (!options.has(name)) {
        continue;
      }
      if (target != null) {
        throw new UsageException("chat: give at most one of --to, --group, --room");
      }
      target = new Target(kind, Options.id("--" + name, options.required(name)));
    }
    return target;
  }

  @Override
  public String toString() {
    return kind.name().toLowerCase(Locale.ROOT) + " " + id;
  }
}
