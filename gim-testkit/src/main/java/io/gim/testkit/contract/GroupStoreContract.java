package io.gim.testkit.contract;

import static io.gim.testkit.contract.Stages.await;
import static io.gim.testkit.contract.Stages.failureCode;
import static org.assertj.core.api.Assertions.assertThat;

import io.gim.spi.GimErrorCode;
import io.gim.spi.store.Group;
import io.gim.spi.store.GroupMember;
import io.gim.spi.store.GroupStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The contract of {@link GroupStore}: profiles, ordered members, and membership changes that are
 * all-or-nothing with GIM's error codes.
 *
 * <p>Extend it and implement {@link #createStore()}; override {@link #closeStore(GroupStore)} to
 * release the store. Each test uses its own random user ids.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
public abstract class GroupStoreContract {
  /** The store under test, created before each test. */
  protected GroupStore store;

  private long userBase;

  /** A new store, or a shared one: tests never reuse each other's ids. */
  protected abstract GroupStore createStore() throws Exception;

  /** Releases a store made by {@link #createStore()}; does nothing by default. */
  protected void closeStore(GroupStore store) throws Exception {}

  @BeforeEach
  final void setUpStore() throws Exception {
    userBase = Stages.randomBase();
    store = createStore();
  }

  @AfterEach
  final void tearDownStore() throws Exception {
    closeStore(store);
  }

  private long user(int i) {
    return userBase + i;
  }

  private GroupMember member(int i) {
    return new GroupMember(user(i), "nick" + i, 0, 0, "");
  }

  private long createWith(int... users) {
    List<GroupMember> members = new ArrayList<>();
    for (int u : users) {
      members.add(member(u));
    }
    return await(store.create(Group.named("g"), members));
  }

  private List<Long> memberIds(long groupId) {
    return await(store.members(groupId)).stream().map(GroupMember::userId).toList();
  }

  @Test
  void createsAGroupThatGetReturnsWithItsNewId() {
    Group profile = new Group(0, "friends", "https://a/b.png", "hello", "{}");
    long id = await(store.create(profile, List.of(member(1))));

    assertThat(id).isNotZero();
    assertThat(await(store.get(id))).contains(profile.withId(id));
  }

  @Test
  void allocatesDistinctIds() {
    assertThat(createWith(1)).isNotEqualTo(createWith(1));
  }

  @Test
  void createsAGroupWithAFreeExplicitId() {
    long id = Stages.randomBase() + 7;
    assertThat(await(store.create(Group.named("x").withId(id), List.of()))).isEqualTo(id);
    assertThat(await(store.get(id))).contains(Group.named("x").withId(id));
  }

  @Test
  void refusesAnExplicitIdThatExists() {
    long id = createWith(1);
    int code = failureCode(store.create(Group.named("again").withId(id), List.of(member(2))));

    assertThat(code).isEqualTo(GimErrorCode.BAD_REQUEST.code());
    assertThat(await(store.get(id)).orElseThrow().name()).isEqualTo("g");
    assertThat(memberIds(id)).containsExactly(user(1));
  }

  @Test
  void getOfAnUnknownGroupIsEmpty() {
    assertThat(await(store.get(Stages.randomBase() + 3))).isEmpty();
  }

  @Test
  void updateReplacesTheProfile() {
    long id = createWith(1);
    Group changed = new Group(id, "renamed", "a", "i", "e");
    await(store.update(changed));
    assertThat(await(store.get(id))).contains(changed);
  }

  @Test
  void updateOfAnUnknownGroupFailsWithGroupNotFound() {
    Group missing = Group.named("none").withId(Stages.randomBase() + 5);
    assertThat(failureCode(store.update(missing))).isEqualTo(GimErrorCode.GROUP_NOT_FOUND.code());
  }

  @Test
  void membersAreOrderedByUserId() {
    long id = createWith(5, 2, 9);
    await(store.addMembers(id, List.of(member(7), member(1))));

    assertThat(memberIds(id)).containsExactly(user(1), user(2), user(5), user(7), user(9));
    assertThat(await(store.members(id)).get(0)).isEqualTo(member(1));
  }

  @Test
  void addMembersFailsWithAlreadyInGroupAndAddsNone() {
    long id = createWith(1, 2);
    int code = failureCode(store.addMembers(id, List.of(member(3), member(2), member(4))));

    assertThat(code).isEqualTo(GimErrorCode.ALREADY_IN_GROUP.code());
    assertThat(memberIds(id)).containsExactly(user(1), user(2));
  }

  @Test
  void addMembersRefusesAUserListedTwiceAndAddsNone() {
    long id = createWith(1);
    int code = failureCode(store.addMembers(id, List.of(member(3), member(3))));

    assertThat(code).isEqualTo(GimErrorCode.ALREADY_IN_GROUP.code());
    assertThat(memberIds(id)).containsExactly(user(1));
  }

  @Test
  void removeMembersRemovesThem() {
    long id = createWith(1, 2, 3, 4);
    await(store.removeMembers(id, List.of(user(2), user(4))));
    assertThat(memberIds(id)).containsExactly(user(1), user(3));
  }

  @Test
  void removeMembersFailsWithMemberNotFoundAndRemovesNone() {
    long id = createWith(1, 2, 3);
    int code = failureCode(store.removeMembers(id, List.of(user(1), user(8))));

    assertThat(code).isEqualTo(GimErrorCode.GROUP_MEMBER_NOT_FOUND.code());
    assertThat(memberIds(id)).containsExactly(user(1), user(2), user(3));
  }

  @Test
  void membershipCallsOnAnUnknownGroupFailWithGroupNotFound() {
    long missing = Stages.randomBase() + 11;
    int notFound = GimErrorCode.GROUP_NOT_FOUND.code();

    assertThat(failureCode(store.addMembers(missing, List.of(member(1))))).isEqualTo(notFound);
    assertThat(failureCode(store.removeMembers(missing, List.of(user(1))))).isEqualTo(notFound);
    assertThat(failureCode(store.members(missing))).isEqualTo(notFound);
  }

  @Test
  void concurrentAddsOfDistinctMembersAllLand() throws Exception {
    long id = createWith(0);
    Stages.concurrently(
        8,
        task ->
            () -> {
              for (int u = 1 + task * 25; u <= (task + 1) * 25; u++) {
                await(store.addMembers(id, List.of(member(u))));
              }
              return null;
            });
    assertThat(memberIds(id)).hasSize(201).isSorted().doesNotHaveDuplicates();
  }
}
