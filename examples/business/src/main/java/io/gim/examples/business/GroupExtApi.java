package io.gim.examples.business;

import com.google.protobuf.Empty;
import io.gim.core.Messages;
import io.gim.grpc.Caller;
import io.gim.grpc.business.AddGroupMembersPush;
import io.gim.grpc.business.Command;
import io.gim.grpc.business.GetGroupMembersReply;
import io.gim.grpc.business.GetGroupMembersRequest;
import io.gim.grpc.business.GroupAddMembersRequest;
import io.gim.grpc.business.GroupCreateReply;
import io.gim.grpc.business.GroupCreateRequest;
import io.gim.grpc.business.GroupExtServiceGrpc;
import io.gim.grpc.business.GroupRemoveMemberRequest;
import io.gim.grpc.business.GroupUpdateRequest;
import io.gim.grpc.business.RemoveGroupMemberPush;
import io.gim.grpc.business.UpdateGroupPush;
import io.gim.spi.GimErrorCode;
import io.gim.spi.GimException;
import io.gim.spi.store.Group;
import io.gim.spi.store.GroupMember;
import io.gim.spi.store.GroupStore;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * {@code business.GroupExtService} (an extension of GIM for Java): group changes made by members,
 * each pushed (stored) to the members once the group store has applied it. Any member may update
 * the group, add members and remove a member (themselves included: leaving); a host with owners and
 * admins adds its rules here. Unknown group 10220, caller not a member 10201, adding a member 10203
 * (and nobody is added), removing a non-member 10202, unknown users 10301.
 *
 * <p>Thread-safe; nothing blocks.
 */
final class GroupExtApi extends GroupExtServiceGrpc.GroupExtServiceImplBase {
  /** At most this many users per Create or AddMembers. */
  static final int MAX_USERS_PER_CALL = 500;

  private final UserRepository users;
  private final GroupStore groups;
  private final Messages messages;

  GroupExtApi(UserRepository users, GroupStore groups, Messages messages) {
    this.users = users;
    this.groups = groups;
    this.messages = messages;
  }

  /** Creates a group whose members are the caller and {@code member_ids}; returns its id. */
  @Override
  public void create(GroupCreateRequest request, StreamObserver<GroupCreateReply> observer) {
    Caller caller = Caller.current();
    Calls.answer(
        observer,
        () -> {
          Group group =
              group(
                  0,
                  request.getName(),
                  request.getAvatarUrl(),
                  request.getIntroduction(),
                  request.getExtra());
          Set<Long> ids = new LinkedHashSet<>();
          ids.add(caller.userId());
          ids.addAll(request.getMemberIdsList());
          checkIds(ids, request.getMemberIdsCount());
          return knownMembers(ids)
              .thenCompose(members -> groups.create(group, members))
              .thenApply(id -> GroupCreateReply.newBuilder().setGroupId(id).build());
        });
  }

  /** Replaces the group's profile; pushes UPDATE_GROUP (120) to the members. */
  @Override
  public void update(GroupUpdateRequest request, StreamObserver<Empty> observer) {
    Caller caller = Caller.current();
    Calls.answer(
        observer,
        () -> {
          long groupId = Calls.id("group id", request.getGroupId());
          Group group =
              group(
                  groupId,
                  request.getName(),
                  request.getAvatarUrl(),
                  request.getIntroduction(),
                  request.getExtra());
          return requireMember(groupId, caller.userId())
              .thenCompose(
                  members ->
                      groups
                          .update(group)
                          .thenCompose(ignored -> users.get(caller.userId()))
                          .thenCompose(
                              me -> {
                                UpdateGroupPush push =
                                    UpdateGroupPush.newBuilder()
                                        .setOptId(caller.userId())
                                        .setOptName(me.map(UserRecord::nickname).orElse(""))
                                        .setGroupId(groupId)
                                        .setName(group.name())
                                        .setAvatarUrl(group.avatarUrl())
                                        .setIntroduction(group.introduction())
                                        .setExtra(group.extra())
                                        .build();
                                return push(ids(members), Command.UPDATE_GROUP, push.toByteArray());
                              }))
              .thenApply(ignored -> Empty.getDefaultInstance());
        });
  }

  /**
   * Adds users (all or none: 10203 if one is a member already); pushes ADD_GROUP_MEMBERS (121) to
   * the members, the new ones included.
   */
  @Override
  public void addMembers(GroupAddMembersRequest request, StreamObserver<Empty> observer) {
    Caller caller = Caller.current();
    Calls.answer(
        observer,
        () -> {
          long groupId = Calls.id("group id", request.getGroupId());
          Set<Long> ids = new LinkedHashSet<>(request.getUserIdsList());
          if (ids.isEmpty()) {
            throw new GimException(GimErrorCode.BAD_REQUEST, "user ids missing");
          }
          checkIds(ids, request.getUserIdsCount());
          return requireMember(groupId, caller.userId())
              .thenCompose(
                  before ->
                      knownMembers(ids)
                          .thenCompose(added -> groups.addMembers(groupId, added))
                          .thenCompose(ignored -> users.get(caller.userId()))
                          .thenCompose(
                              me -> {
                                AddGroupMembersPush push =
                                    AddGroupMembersPush.newBuilder()
                                        .setOptId(caller.userId())
                                        .setOptName(me.map(UserRecord::nickname).orElse(""))
                                        .setGroupId(groupId)
                                        .addAllUserIds(ids)
                                        .build();
                                Set<Long> to = new LinkedHashSet<>(ids(before));
                                to.addAll(ids);
                                return push(to, Command.ADD_GROUP_MEMBERS, push.toByteArray());
                              }))
              .thenApply(ignored -> Empty.getDefaultInstance());
        });
  }

  /**
   * Removes one member (10202 for a non-member); pushes REMOVE_GROUP_MEMBER (122) to the remaining
   * members and the removed one.
   */
  @Override
  public void removeMember(GroupRemoveMemberRequest request, StreamObserver<Empty> observer) {
    Caller caller = Caller.current();
    Calls.answer(
        observer,
        () -> {
          long groupId = Calls.id("group id", request.getGroupId());
          long userId = Calls.id("user id", request.getUserId());
          return requireMember(groupId, caller.userId())
              .thenCompose(
                  before ->
                      groups
                          .removeMembers(groupId, List.of(userId))
                          .thenCompose(ignored -> users.get(caller.userId()))
                          .thenCompose(
                              me -> {
                                RemoveGroupMemberPush push =
                                    RemoveGroupMemberPush.newBuilder()
                                        .setOptId(caller.userId())
                                        .setOptName(me.map(UserRecord::nickname).orElse(""))
                                        .setGroupId(groupId)
                                        .setUserId(userId)
                                        .build();
                                return push(
                                    ids(before), Command.REMOVE_GROUP_MEMBER, push.toByteArray());
                              }))
              .thenApply(ignored -> Empty.getDefaultInstance());
        });
  }

  /** The members, for a member of the group. */
  @Override
  public void getMembers(
      GetGroupMembersRequest request, StreamObserver<GetGroupMembersReply> observer) {
    Caller caller = Caller.current();
    Calls.answer(
        observer,
        () ->
            requireMember(Calls.id("group id", request.getGroupId()), caller.userId())
                .thenApply(
                    members -> {
                      GetGroupMembersReply.Builder reply = GetGroupMembersReply.newBuilder();
                      for (GroupMember m : members) {
                        reply.addMembers(
                            io.gim.grpc.logic.GroupMember.newBuilder()
                                .setUserId(m.userId())
                                .setNickname(m.nickname())
                                .setTypeValue(m.type())
                                .setStatusValue(m.status())
                                .setExtra(m.extra()));
                      }
                      return reply.build();
                    }));
  }

  /** The group's members if {@code userId} is one of them; else 10201 (10220: no such group). */
  private CompletionStage<List<GroupMember>> requireMember(long groupId, long userId) {
    return groups
        .get(groupId)
        .thenCompose(
            group -> {
              if (group.isEmpty()) {
                throw new GimException(GimErrorCode.GROUP_NOT_FOUND);
              }
              return groups.members(groupId);
            })
        .thenApply(
            members -> {
              if (members.stream().noneMatch(m -> m.userId() == userId)) {
                throw new GimException(GimErrorCode.NOT_IN_GROUP);
              }
              return members;
            });
  }

  /** Members for existing users, named by their nicknames; 10301 if one does not exist. */
  private CompletionStage<List<GroupMember>> knownMembers(Collection<Long> ids) {
    return users
        .getAll(ids)
        .thenApply(
            found -> {
              List<GroupMember> members = new ArrayList<>();
              for (long id : ids) {
                UserRecord user = found.get(id);
                if (user == null) {
                  throw Calls.userNotFound();
                }
                members.add(new GroupMember(id, user.nickname(), 0, 0, ""));
              }
              return members;
            });
  }

  private CompletionStage<Void> push(Collection<Long> userIds, Command command, byte[] content) {
    return messages
        .pushToUsers(List.copyOf(userIds), command.getNumber(), content, true)
        .thenApply(ignored -> null);
  }

  private static List<Long> ids(List<GroupMember> members) {
    return members.stream().map(GroupMember::userId).toList();
  }

  private static void checkIds(Set<Long> ids, int given) {
    if (given > MAX_USERS_PER_CALL) {
      throw new GimException(GimErrorCode.BAD_REQUEST, "too many user ids");
    }
    if (ids.stream().anyMatch(id -> id <= 0)) {
      throw new GimException(GimErrorCode.BAD_REQUEST, "user id missing");
    }
  }

  private static Group group(
      long id, String name, String avatarUrl, String introduction, String extra) {
    return new Group(
        id,
        Calls.text("name", name, 255),
        Calls.text("avatar url", avatarUrl, Schema.URL_MAX),
        Calls.text("introduction", introduction, 4096),
        Calls.text("extra", extra, Schema.EXTRA_MAX));
  }
}
