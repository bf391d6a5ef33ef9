package io.gim.core.memory;

import static java.util.concurrent.CompletableFuture.completedFuture;
import static java.util.concurrent.CompletableFuture.failedFuture;

import io.gim.spi.GimErrorCode;
import io.gim.spi.GimException;
import io.gim.spi.store.Group;
import io.gim.spi.store.GroupMember;
import io.gim.spi.store.GroupStore;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link GroupStore} on the heap; thread-safe, and no method blocks: every stage is complete when
 * returned. Each group's changes are atomic under that group's own monitor.
 *
 * <p>Creating a group with an explicit id that already exists fails with {@code BAD_REQUEST}.
 */
public final class InMemoryGroupStore implements GroupStore {
  private final ConcurrentHashMap<Long, GroupState> groups = new ConcurrentHashMap<>();
  private final AtomicLong lastId = new AtomicLong();

  /** An empty store; thread-safe, non-blocking. */
  public InMemoryGroupStore() {}

  /**
   * Creates the group with its first members and returns its id; thread-safe, non-blocking. Fails
   * with {@code ALREADY_IN_GROUP} if the list names a user twice, {@code BAD_REQUEST} if the
   * explicit id is taken.
   */
  @Override
  public CompletionStage<Long> create(Group group, List<GroupMember> members) {
    GimException invalid = GroupState.checkDistinct(members);
    if (invalid != null) {
      return failedFuture(invalid);
    }
    if (group.id() != 0) {
      GroupState state = new GroupState(group, members);
      if (groups.putIfAbsent(group.id(), state) != null) {
        return failedFuture(new GimException(GimErrorCode.BAD_REQUEST, "group already exists"));
      }
      return completedFuture(group.id());
    }
    long id;
    do {
      // Skips ids that a caller chose explicitly.
      id = lastId.incrementAndGet();
    } while (groups.putIfAbsent(id, new GroupState(group.withId(id), members)) != null);
    return completedFuture(id);
  }

  /** Replaces the profile; fails with {@code GROUP_NOT_FOUND}; thread-safe, non-blocking. */
  @Override
  public CompletionStage<Void> update(Group group) {
    GroupState state = groups.get(group.id());
    if (state == null) {
      return failedFuture(notFound(group.id()));
    }
    state.profile(group);
    return completedFuture(null);
  }

  /** The group's profile, or empty; thread-safe, non-blocking. */
  @Override
  public CompletionStage<Optional<Group>> get(long groupId) {
    GroupState state = groups.get(groupId);
    return completedFuture(state == null ? Optional.empty() : Optional.of(state.profile()));
  }

  /**
   * Adds every member or none; thread-safe, non-blocking. Fails with {@code GROUP_NOT_FOUND}, or
   * {@code ALREADY_IN_GROUP} if any is a member already or named twice.
   */
  @Override
  public CompletionStage<Void> addMembers(long groupId, List<GroupMember> members) {
    GroupState state = groups.get(groupId);
    if (state == null) {
      return failedFuture(notFound(groupId));
    }
    GimException failure = state.add(members);
    return failure == null ? completedFuture(null) : failedFuture(failure);
  }

  /**
   * Removes every user or none; thread-safe, non-blocking. Fails with {@code GROUP_NOT_FOUND}, or
   * {@code GROUP_MEMBER_NOT_FOUND} if any is not a member.
   */
  @Override
  public CompletionStage<Void> removeMembers(long groupId, Collection<Long> userIds) {
    GroupState state = groups.get(groupId);
    if (state == null) {
      return failedFuture(notFound(groupId));
    }
    GimException failure = state.remove(userIds);
    return failure == null ? completedFuture(null) : failedFuture(failure);
  }

  /**
   * The members ordered by user id; fails with {@code GROUP_NOT_FOUND}; thread-safe, non-blocking.
   */
  @Override
  public CompletionStage<List<GroupMember>> members(long groupId) {
    GroupState state = groups.get(groupId);
    if (state == null) {
      return failedFuture(notFound(groupId));
    }
    return completedFuture(state.members());
  }

  private static GimException notFound(long groupId) {
    return new GimException(GimErrorCode.GROUP_NOT_FOUND);
  }

  /** One group; every field is guarded by this object's monitor. */
  private static final class GroupState {
    private Group profile;
    private final TreeMap<Long, GroupMember> members = new TreeMap<>();

    GroupState(Group profile, List<GroupMember> initial) {
      this.profile = profile;
      for (GroupMember m : initial) {
        members.put(m.userId(), m);
      }
    }

    synchronized Group profile() {
      return profile;
    }

    synchronized void profile(Group replacement) {
      profile = replacement;
    }

    synchronized List<GroupMember> members() {
      return List.copyOf(members.values());
    }

    synchronized GimException add(List<GroupMember> added) {
      GimException invalid = checkDistinct(added);
      if (invalid != null) {
        return invalid;
      }
      for (GroupMember m : added) {
        if (members.containsKey(m.userId())) {
          return new GimException(GimErrorCode.ALREADY_IN_GROUP);
        }
      }
      for (GroupMember m : added) {
        members.put(m.userId(), m);
      }
      return null;
    }

    synchronized GimException remove(Collection<Long> userIds) {
      for (Long userId : userIds) {
        if (!members.containsKey(userId)) {
          return new GimException(GimErrorCode.GROUP_MEMBER_NOT_FOUND);
        }
      }
      userIds.forEach(members::remove);
      return null;
    }

    static GimException checkDistinct(List<GroupMember> list) {
      Set<Long> seen = new HashSet<>();
      for (GroupMember m : list) {
        if (!seen.add(m.userId())) {
          return new GimException(GimErrorCode.ALREADY_IN_GROUP);
        }
      }
      return null;
    }
  }
}
