package io.gim.spi.store;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Groups and their members.
 *
 * <p>Thread-safe; no method blocks. Membership changes are atomic: a failed call changed nothing.
 * Failures are {@link io.gim.spi.GimException}s: {@code GROUP_NOT_FOUND} (10220), {@code
 * ALREADY_IN_GROUP} (10203), {@code GROUP_MEMBER_NOT_FOUND} (10202).
 */
public interface GroupStore {

  /**
   * Creates a group (a new id when {@code group.id()} is 0) with its first members; returns the id.
   * An explicit id that exists already fails with {@code BAD_REQUEST}; a user listed twice fails
   * with {@code ALREADY_IN_GROUP}.
   */
  CompletionStage<Long> create(Group group, List<GroupMember> members);

  /** Replaces the profile of the group {@code group.id()}. */
  CompletionStage<Void> update(Group group);

  /** The group, or empty if there is none with that id. */
  CompletionStage<Optional<Group>> get(long groupId);

  /** Adds members; fails with 10203 and adds none if any is already a member. */
  CompletionStage<Void> addMembers(long groupId, List<GroupMember> members);

  /** Removes members; fails with 10202 and removes none if any is not a member. */
  CompletionStage<Void> removeMembers(long groupId, Collection<Long> userIds);

  /** The members, ordered by user id. */
  CompletionStage<List<GroupMember>> members(long groupId);
}
