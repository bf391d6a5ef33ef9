package io.gim.store.redis.internal;

import io.gim.spi.store.Group;
import io.gim.spi.store.GroupMember;
import io.gim.spi.store.GroupStore;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/** PLACEHOLDER until its helper lands. */
public final class RedisGroupStore implements GroupStore {
  public RedisGroupStore(RedisTarget target, Keys keys) {}

  public CompletionStage<Long> create(Group group, List<GroupMember> members) {
    throw new UnsupportedOperationException();
  }

  public CompletionStage<Void> update(Group group) {
    throw new UnsupportedOperationException();
  }

  public CompletionStage<Optional<Group>> get(long groupId) {
    throw new UnsupportedOperationException();
  }

  public CompletionStage<Void> addMembers(long groupId, List<GroupMember> members) {
    throw new UnsupportedOperationException();
  }

  public CompletionStage<Void> removeMembers(long groupId, Collection<Long> userIds) {
    throw new UnsupportedOperationException();
  }

  public CompletionStage<List<GroupMember>> members(long groupId) {
    throw new UnsupportedOperationException();
  }
}
