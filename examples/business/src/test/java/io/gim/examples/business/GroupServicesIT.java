package io.gim.examples.business;

import static io.gim.examples.business.GrpcTestClient.assertFails;
import static org.assertj.core.api.Assertions.assertThat;

import io.gim.grpc.business.AddGroupMembersPush;
import io.gim.grpc.business.GetGroupMembersRequest;
import io.gim.grpc.business.GroupAddMembersRequest;
import io.gim.grpc.business.GroupCreateRequest;
import io.gim.grpc.business.GroupRemoveMemberRequest;
import io.gim.grpc.business.GroupUpdateRequest;
import io.gim.grpc.business.RemoveGroupMemberPush;
import io.gim.grpc.business.UpdateGroupPush;
import io.grpc.Status;
import java.util.List;
import org.junit.jupiter.api.Test;

/** GroupExtService over a real port: member-only changes, their pushes, atomic failures. */
class GroupServicesIT extends ServerFixture {

  private long create(GrpcTestClient.Session owner, GrpcTestClient.Session... members) {
    GroupCreateRequest.Builder b = GroupCreateRequest.newBuilder().setName("team");
    for (GrpcTestClient.Session m : members) {
      b.addMemberIds(m.userId());
    }
    return owner.groups().create(b.build()).getGroupId();
  }

  private List<Long> members(GrpcTestClient.Session s, long groupId) {
    return s
        .groups()
        .getMembers(GetGroupMembersRequest.newBuilder().setGroupId(groupId).build())
        .getMembersList()
        .stream()
        .map(m -> m.getUserId())
        .toList();
  }

  @Test
  void createMakesTheCallerAndTheNamedUsersMembers() {
    GrpcTestClient.Session ann = grpc.newUser("ann");
    GrpcTestClient.Session bob = grpc.newUser("bob");

    long group = create(ann, bob);

    assertThat(members(bob, group)).containsExactly(ann.userId(), bob.userId());
    var nicknames =
        ann
            .groups()
            .getMembers(GetGroupMembersRequest.newBuilder().setGroupId(group).build())
            .getMembersList()
            .stream()
            .map(m -> m.getNickname())
            .toList();
    assertThat(nicknames).containsExactly("ann", "bob");
  }

  @Test
  void anUpdateIsPushedToEveryMember() throws Exception {
    GrpcTestClient.Session ann = grpc.newUser("ann");
    GrpcTestClient.Session bob = grpc.newUser("bob");
    long group = create(ann, bob);

    bob.groups()
        .update(
            GroupUpdateRequest.newBuilder()
                .setGroupId(group)
                .setName("renamed")
                .setIntroduction("about")
                .build());

    for (GrpcTestClient.Session s : List.of(ann, bob)) {
      UpdateGroupPush push = UpdateGroupPush.parseFrom(inbox(s.userId(), 120).get(0).content());
      assertThat(push.getGroupId()).isEqualTo(group);
      assertThat(push.getOptId()).isEqualTo(bob.userId());
      assertThat(push.getOptName()).isEqualTo("bob");
      assertThat(push.getName()).isEqualTo("renamed");
      assertThat(push.getIntroduction()).isEqualTo("about");
    }
    assertThat(server.gim().groups().get(group).toCompletableFuture().join())
        .hasValueSatisfying(g -> assertThat(g.name()).isEqualTo("renamed"));
  }

  @Test
  void onlyMembersChangeOrReadAGroupAndAnUnknownGroupIs10220() {
    GrpcTestClient.Session ann = grpc.newUser("ann");
    GrpcTestClient.Session eve = grpc.newUser("eve");
    long group = create(ann);
    GroupUpdateRequest update =
        GroupUpdateRequest.newBuilder().setGroupId(group).setName("eve's").build();

    assertFails(() -> eve.groups().update(update), Status.Code.FAILED_PRECONDITION, 10201);
    assertFails(
        () ->
            eve.groups()
                .addMembers(
                    GroupAddMembersRequest.newBuilder()
                        .setGroupId(group)
                        .addUserIds(eve.userId())
                        .build()),
        Status.Code.FAILED_PRECONDITION,
        10201);
    assertFails(() -> members(eve, group), Status.Code.FAILED_PRECONDITION, 10201);
    assertFails(
        () -> ann.groups().update(update.toBuilder().setGroupId(Long.MAX_VALUE).build()),
        Status.Code.NOT_FOUND,
        10220);
    assertThat(members(ann, group)).containsExactly(ann.userId());
    assertThat(inbox(ann.userId(), 120)).isEmpty();
  }

  @Test
  void addedMembersAndTheOldOnesGetTheAddMembersPush() throws Exception {
    GrpcTestClient.Session ann = grpc.newUser("ann");
    GrpcTestClient.Session bob = grpc.newUser("bob");
    GrpcTestClient.Session cid = grpc.newUser("cid");
    long group = create(ann);

    ann.groups()
        .addMembers(
            GroupAddMembersRequest.newBuilder()
                .setGroupId(group)
                .addUserIds(bob.userId())
                .addUserIds(cid.userId())
                .build());

    assertThat(members(cid, group)).containsExactly(ann.userId(), bob.userId(), cid.userId());
    for (GrpcTestClient.Session s : List.of(ann, bob, cid)) {
      AddGroupMembersPush push =
          AddGroupMembersPush.parseFrom(inbox(s.userId(), 121).get(0).content());
      assertThat(push.getGroupId()).isEqualTo(group);
      assertThat(push.getOptId()).isEqualTo(ann.userId());
      assertThat(push.getUserIdsList()).containsExactly(bob.userId(), cid.userId());
    }
  }

  @Test
  void addingAnExistingMemberIs10203AndAddsNobody() {
    GrpcTestClient.Session ann = grpc.newUser("ann");
    GrpcTestClient.Session bob = grpc.newUser("bob");
    GrpcTestClient.Session cid = grpc.newUser("cid");
    long group = create(ann, bob);

    assertFails(
        () ->
            ann.groups()
                .addMembers(
                    GroupAddMembersRequest.newBuilder()
                        .setGroupId(group)
                        .addUserIds(cid.userId())
                        .addUserIds(bob.userId())
                        .build()),
        Status.Code.FAILED_PRECONDITION,
        10203);
    assertFails(
        () ->
            ann.groups()
                .addMembers(
                    GroupAddMembersRequest.newBuilder()
                        .setGroupId(group)
                        .addUserIds(Long.MAX_VALUE)
                        .build()),
        Status.Code.INTERNAL,
        10301);

    assertThat(members(ann, group)).containsExactly(ann.userId(), bob.userId());
    assertThat(inbox(cid.userId())).isEmpty();
  }

  @Test
  void aRemovedMemberAndTheRemainingOnesGetTheRemovePush() throws Exception {
    GrpcTestClient.Session ann = grpc.newUser("ann");
    GrpcTestClient.Session bob = grpc.newUser("bob");
    GrpcTestClient.Session cid = grpc.newUser("cid");
    long group = create(ann, bob, cid);

    ann.groups()
        .removeMember(
            GroupRemoveMemberRequest.newBuilder()
                .setGroupId(group)
                .setUserId(bob.userId())
                .build());

    assertThat(members(ann, group)).containsExactly(ann.userId(), cid.userId());
    for (GrpcTestClient.Session s : List.of(ann, bob, cid)) {
      RemoveGroupMemberPush push =
          RemoveGroupMemberPush.parseFrom(inbox(s.userId(), 122).get(0).content());
      assertThat(push.getUserId()).isEqualTo(bob.userId());
      assertThat(push.getOptName()).isEqualTo("ann");
    }
    assertFails(() -> members(bob, group), Status.Code.FAILED_PRECONDITION, 10201);
  }

  @Test
  void removingANonMemberIs10202AndChangesNothing() {
    GrpcTestClient.Session ann = grpc.newUser("ann");
    GrpcTestClient.Session bob = grpc.newUser("bob");
    long group = create(ann);

    assertFails(
        () ->
            ann.groups()
                .removeMember(
                    GroupRemoveMemberRequest.newBuilder()
                        .setGroupId(group)
                        .setUserId(bob.userId())
                        .build()),
        Status.Code.FAILED_PRECONDITION,
        10202);
    assertThat(members(ann, group)).containsExactly(ann.userId());
    assertThat(inbox(ann.userId(), 122)).isEmpty();
  }
}
