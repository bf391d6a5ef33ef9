package io.gim.grpc;

import com.google.protobuf.Empty;
import io.gim.core.Messages;
import io.gim.grpc.logic.GroupAddMemberRequest;
import io.gim.grpc.logic.GroupCreateReply;
import io.gim.grpc.logic.GroupCreateRequest;
import io.gim.grpc.logic.GroupGetReply;
import io.gim.grpc.logic.GroupGetRequest;
import io.gim.grpc.logic.GroupIntServiceGrpc;
import io.gim.grpc.logic.GroupPushReply;
import io.gim.grpc.logic.GroupPushRequest;
import io.gim.grpc.logic.GroupRemoveMemberRequest;
import io.gim.grpc.logic.GroupUpdateRequest;
import io.gim.spi.GimErrorCode;
import io.gim.spi.GimException;
import io.gim.spi.store.Group;
import io.gim.spi.store.GroupMember;
import io.gim.spi.store.GroupStore;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * {@code logic.GroupIntService}: groups and their members on the configured {@link GroupStore}, and
 * pushes to a group's members. Unlike GIM, adding an existing member (10203) and removing a
 * non-member (10202) are refused, and a refused change changes nothing. A missing group or an id of
 * 0 in the request is 10001; an unknown group 10220. Thread-safe; no method blocks.
 */
final class GroupIntApi extends GroupIntServiceGrpc.GroupIntServiceImplBase {
  private final GroupStore groups;
  private final Messages messages;

  GroupIntApi(GroupStore groups, Messages messages) {
    this.groups = groups;
    this.messages = messages;
  }

  /** Pushes to every member (persisted: one inbox entry each); unknown group 10220. */
  @Override
  public void push(GroupPushRequest request, StreamObserver<GroupPushReply> out) {
    Calls.answer(
        () -> {
          if (!Calls.isId(request.getGroupId())) {
            return Calls.badRequest(Calls.badId("group_id", request.getGroupId()));
          }
          return messages.pushToGroup(
              request.getGroupId(),
              request.getCommandValue(),
              request.getContent().toByteArray(),
              request.getIsPersist());
        },
        r -> GroupPushReply.newBuilder().setMessageId(r.messageId()).build(),
        out);
  }

  /**
   * Creates a group with its first members and returns its id (chosen by the store when {@code
   * group.id} is 0). Member type and status numbers are stored as sent.
   */
  @Override
  public void create(GroupCreateRequest request, StreamObserver<GroupCreateReply> out) {
    Calls.answer(
        () -> {
          if (!request.hasGroup()) {
            return Calls.badRequest("group: missing");
          }
          if (request.getGroup().getId() < 0) {
            return Calls.badRequest(Calls.badId("group.id", request.getGroup().getId()));
          }
          List<GroupMember> members = new ArrayList<>();
          String invalid = toMembers(request.getMembersList(), members);
          if (invalid != null) {
            return Calls.badRequest(invalid);
          }
          return groups.create(toGroup(request.getGroup()), members);
        },
        id -> GroupCreateReply.newBuilder().setGroupId(id).build(),
        out);
  }

  /** Replaces the profile of group {@code group.id}; unknown group 10220. */
  @Override
  public void update(GroupUpdateRequest request, StreamObserver<Empty> out) {
    Calls.empty(
        () -> {
          if (!request.hasGroup()) {
            return Calls.badRequest("group: missing");
          }
          if (!Calls.isId(request.getGroup().getId())) {
            return Calls.badRequest(Calls.badId("group.id", request.getGroup().getId()));
          }
          return groups.update(toGroup(request.getGroup()));
        },
        out);
  }

  /** The group's profile; unknown group 10220. */
  @Override
  public void get(GroupGetRequest request, StreamObserver<GroupGetReply> out) {
    Calls.answer(
        () -> {
          if (!Calls.isId(request.getGroupId())) {
            return Calls.badRequest(Calls.badId("group_id", request.getGroupId()));
          }
          return groups
              .get(request.getGroupId())
              .thenCompose(
                  found ->
                      found
                          .map(CompletableFuture::completedFuture)
                          .orElseGet(
                              () ->
                                  CompletableFuture.failedFuture(
                                      new GimException(GimErrorCode.GROUP_NOT_FOUND))));
        },
        g -> GroupGetReply.newBuilder().setGroup(toWire(g)).build(),
        out);
  }

  /** Adds every member or none: 10203 if any is a member already (or listed twice). */
  @Override
  public void addMember(GroupAddMemberRequest request, StreamObserver<Empty> out) {
    Calls.empty(
        () -> {
          if (!Calls.isId(request.getGroupId())) {
            return Calls.badRequest(Calls.badId("group_id", request.getGroupId()));
          }
          if (request.getMembersCount() == 0) {
            return Calls.badRequest("members: empty (expected: at least one member)");
          }
          List<GroupMember> members = new ArrayList<>();
          String invalid = toMembers(request.getMembersList(), members);
          if (invalid != null) {
            return Calls.badRequest(invalid);
          }
          return groups.addMembers(request.getGroupId(), members);
        },
        out);
  }

  /** Removes every user or none: 10202 if any is not a member. */
  @Override
  public void removeMember(GroupRemoveMemberRequest request, StreamObserver<Empty> out) {
    Calls.empty(
        () -> {
          if (!Calls.isId(request.getGroupId())) {
            return Calls.badRequest(Calls.badId("group_id", request.getGroupId()));
          }
          if (request.getUserIdsCount() == 0) {
            return Calls.badRequest("user_ids: empty (expected: at least one user)");
          }
          for (long user : request.getUserIdsList()) {
            if (!Calls.isId(user)) {
              return Calls.badRequest(Calls.badId("user_ids", user));
            }
          }
          return groups.removeMembers(request.getGroupId(), request.getUserIdsList());
        },
        out);
  }

  /** Fills {@code into}; returns the text of the first bad member, or null. */
  private static String toMembers(
      List<io.gim.grpc.logic.GroupMember> wire, List<GroupMember> into) {
    for (io.gim.grpc.logic.GroupMember m : wire) {
      if (!Calls.isId(m.getUserId())) {
        return Calls.badId("members.user_id", m.getUserId());
      }
      into.add(
          new GroupMember(
              m.getUserId(), m.getNickname(), m.getTypeValue(), m.getStatusValue(), m.getExtra()));
    }
    return null;
  }

  private static Group toGroup(io.gim.grpc.logic.Group g) {
    return new Group(g.getId(), g.getName(), g.getAvatarUrl(), g.getIntroduction(), g.getExtra());
  }

  static io.gim.grpc.logic.Group toWire(Group g) {
    return io.gim.grpc.logic.Group.newBuilder()
        .setId(g.id())
        .setName(g.name())
        .setAvatarUrl(g.avatarUrl())
        .setIntroduction(g.introduction())
        .setExtra(g.extra())
        .build();
  }
}
