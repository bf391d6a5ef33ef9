package io.gim.grpc;

import static io.gim.grpc.InProcessApi.assertFails;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.gim.grpc.logic.Group;
import io.gim.grpc.logic.GroupAddMemberRequest;
import io.gim.grpc.logic.GroupCreateRequest;
import io.gim.grpc.logic.GroupGetRequest;
import io.gim.grpc.logic.GroupMember;
import io.gim.grpc.logic.GroupPushRequest;
import io.gim.grpc.logic.GroupRemoveMemberRequest;
import io.gim.grpc.logic.GroupUpdateRequest;
import io.gim.grpc.logic.SyncRequest;
import io.grpc.Status;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** logic.GroupIntService: groups, members and group pushes, refusing what GIM accepts silently. */
class GroupIntServiceTest {
  private final InProcessApi api;

  GroupIntServiceTest() throws Exception {
    api = new InProcessApi();
  }

  @AfterEach
  void close() {
    api.close();
  }

  private static GroupMember member(long user) {
    return GroupMember.newBuilder().setUserId(user).build();
  }

  private long create(long... users) {
    GroupCreateRequest.Builder b =
        GroupCreateRequest.newBuilder()
            .setGroup(Group.newBuilder().setName("g").setIntroduction("intro").setExtra("x"));
    for (long u : users) {
      b.addMembers(member(u));
    }
    return api.groups().create(b.build()).getGroupId();
  }

  private List<Long> members(long groupId) {
    return api.server.groups().members(groupId).toCompletableFuture().join().stream()
        .map(io.gim.spi.store.GroupMember::userId)
        .toList();
  }

  @Test
  void createStoresTheProfileAndMembersWithTheirTypeAndStatusNumbers() {
    long id =
        api.groups()
            .create(
                GroupCreateRequest.newBuilder()
                    .setGroup(Group.newBuilder().setName("team").setAvatarUrl("a.png"))
                    .addMembers(
                        GroupMember.newBuilder()
                            .setUserId(1)
                            .setNickname("boss")
                            .setTypeValue(2)
                            .setStatusValue(1)
                            .setExtra("e"))
                    .addMembers(member(2))
                    .build())
            .getGroupId();

    Group got = api.groups().get(GroupGetRequest.newBuilder().setGroupId(id).build()).getGroup();
    assertThat(id).isPositive();
    assertThat(got.getId()).isEqualTo(id);
    assertThat(got.getName()).isEqualTo("team");
    assertThat(got.getAvatarUrl()).isEqualTo("a.png");
    var stored = api.server.groups().members(id).toCompletableFuture().join();
    assertThat(stored.get(0)).isEqualTo(new io.gim.spi.store.GroupMember(1, "boss", 2, 1, "e"));
    assertThat(stored.get(1).userId()).isEqualTo(2);
  }

  @Test
  void createRefusesAMissingGroupAMemberOfZeroAndAMemberListedTwice() {
    assertFails(
        () -> api.groups().create(GroupCreateRequest.getDefaultInstance()),
        Status.Code.INVALID_ARGUMENT,
        10001);
    assertFails(
        () ->
            api.groups()
                .create(
                    GroupCreateRequest.newBuilder()
                        .setGroup(Group.newBuilder().setName("g"))
                        .addMembers(member(0))
                        .build()),
        Status.Code.INVALID_ARGUMENT,
        10001);
    assertFails(() -> create(1, 1), Status.Code.FAILED_PRECONDITION, 10203);
  }

  @Test
  void updateReplacesTheProfileAndRefusesAnUnknownGroup() {
    long id = create(1);

    api.groups()
        .update(
            GroupUpdateRequest.newBuilder()
                .setGroup(Group.newBuilder().setId(id).setName("renamed"))
                .build());

    assertThat(api.groups().get(GroupGetRequest.newBuilder().setGroupId(id).build()).getGroup())
        .extracting(Group::getName, Group::getIntroduction)
        .containsExactly("renamed", "");
    assertFails(
        () ->
            api.groups()
                .update(
                    GroupUpdateRequest.newBuilder()
                        .setGroup(Group.newBuilder().setId(id + 100).setName("x"))
                        .build()),
        Status.Code.NOT_FOUND,
        10220);
    assertFails(
        () -> api.groups().update(GroupUpdateRequest.getDefaultInstance()),
        Status.Code.INVALID_ARGUMENT,
        10001);
  }

  @Test
  void getOfAnUnknownGroupIsGroupNotFound() {
    assertFails(
        () -> api.groups().get(GroupGetRequest.newBuilder().setGroupId(404).build()),
        Status.Code.NOT_FOUND,
        10220);
    assertFails(
        () -> api.groups().get(GroupGetRequest.getDefaultInstance()),
        Status.Code.INVALID_ARGUMENT,
        10001);
  }

  @Test
  void addingAnExistingMemberIsRefusedAndAddsNobody() {
    long id = create(1);

    assertFails(
        () ->
            api.groups()
                .addMember(
                    GroupAddMemberRequest.newBuilder()
                        .setGroupId(id)
                        .addMembers(member(2))
                        .addMembers(member(1))
                        .build()),
        Status.Code.FAILED_PRECONDITION,
        10203);
    assertThat(members(id)).containsExactly(1L);

    api.groups()
        .addMember(GroupAddMemberRequest.newBuilder().setGroupId(id).addMembers(member(2)).build());
    assertThat(members(id)).containsExactly(1L, 2L);
    assertFails(
        () ->
            api.groups()
                .addMember(
                    GroupAddMemberRequest.newBuilder()
                        .setGroupId(id + 100)
                        .addMembers(member(3))
                        .build()),
        Status.Code.NOT_FOUND,
        10220);
    assertFails(
        () -> api.groups().addMember(GroupAddMemberRequest.newBuilder().setGroupId(id).build()),
        Status.Code.INVALID_ARGUMENT,
        10001);
  }

  @Test
  void removingANonMemberIsRefusedAndRemovesNobody() {
    long id = create(1, 2);

    assertFails(
        () ->
            api.groups()
                .removeMember(
                    GroupRemoveMemberRequest.newBuilder()
                        .setGroupId(id)
                        .addUserIds(1)
                        .addUserIds(3)
                        .build()),
        Status.Code.FAILED_PRECONDITION,
        10202);
    assertThat(members(id)).containsExactly(1L, 2L);

    api.groups()
        .removeMember(GroupRemoveMemberRequest.newBuilder().setGroupId(id).addUserIds(1).build());
    assertThat(members(id)).containsExactly(2L);
    assertFails(
        () ->
            api.groups()
                .removeMember(
                    GroupRemoveMemberRequest.newBuilder()
                        .setGroupId(id + 100)
                        .addUserIds(2)
                        .build()),
        Status.Code.NOT_FOUND,
        10220);
    assertFails(
        () ->
            api.groups().removeMember(GroupRemoveMemberRequest.newBuilder().setGroupId(id).build()),
        Status.Code.INVALID_ARGUMENT,
        10001);
  }

  @Test
  void pushReachesEveryMembersInboxAndAnUnknownGroupIsGroupNotFound() {
    long id = create(1, 2);

    long messageId =
        api.groups()
            .push(
                GroupPushRequest.newBuilder()
                    .setGroupId(id)
                    .setCommandValue(2)
                    .setContent(ByteString.copyFromUtf8("hi all"))
                    .setIsPersist(true)
                    .build())
            .getMessageId();

    assertThat(messageId).isPositive();
    for (long user : new long[] {1, 2}) {
      assertThat(
              api.inbox(user, 1)
                  .sync(SyncRequest.newBuilder().setFromStart(true).build())
                  .getMessagesList())
          .extracting(m -> m.getMessageId())
          .containsExactly(messageId);
    }
    assertFails(
        () -> api.groups().push(GroupPushRequest.newBuilder().setGroupId(id + 100).build()),
        Status.Code.NOT_FOUND,
        10220);
    assertFails(
        () -> api.groups().push(GroupPushRequest.getDefaultInstance()),
        Status.Code.INVALID_ARGUMENT,
        10001);
  }
}
