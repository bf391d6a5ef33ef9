package io.gim.spi;

/**
 * Where a send goes: one user, one group or one room.
 *
 * <p>Immutable and thread-safe.
 */
public sealed interface SendTarget {

  /** A send to one user. */
  record User(long userId) implements SendTarget {}

  /** A send to every member of a group. */
  record Group(long groupId) implements SendTarget {}

  /** A send to the current subscribers of a room; never stored. */
  record Room(long roomId) implements SendTarget {}
}
