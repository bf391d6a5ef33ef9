package io.gim.store.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.gim.spi.GimErrorCode;
import io.gim.spi.GimException;
import io.gim.spi.store.Group;
import io.gim.spi.store.GroupMember;
import io.gim.spi.store.GroupStore;
import io.gim.testkit.contract.GroupStoreContract;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The group store contract on the machine's single Redis, and this store's own promises. */
class RedisGroupStoreTest extends GroupStoreContract {
  private RedisStores stores;
  private String prefix;

  boolean cluster() {
    return false;
  }

  @Override
  protected GroupStore createStore() {
    prefix = TestRedis.prefix();
    stores = cluster() ? TestRedis.cluster(prefix) : TestRedis.single(prefix);
    return stores.groups();
  }

  @Override
  protected void closeStore(GroupStore store) {
    stores.close();
    TestRedis.deleteKeys(cluster(), prefix);
  }

  private static long base() {
    return ThreadLocalRandom.current().nextLong(1, 1L << 40) * 1_000_000L;
  }

  @Test
  void keepsEveryMemberFieldAndSixtyFourBitIdsExact() {
    // Neighbours above 2^53 would collapse into one number if anything took them for a double.
    long big = (1L << 62) + 1;
    List<GroupMember> members =
        List.of(
            new GroupMember(big + 1, "ünï 😀", Integer.MAX_VALUE, -3, "{\"a\":1}"),
            new GroupMember(big, "", 0, 0, ""),
            new GroupMember(-7, "negative", 2, 1, "x"));
    long id = await(store.create(new Group(Long.MAX_VALUE, "名字", "", "intro", "😀"), members));

    assertThat(id).isEqualTo(Long.MAX_VALUE);
    assertThat(await(store.get(id))).contains(new Group(id, "名字", "", "intro", "😀"));
    assertThat(await(store.members(id)))
        .containsExactly(members.get(2), members.get(1), members.get(0));
  }

  @Test
  void createsListsAndChangesAGroupOfTenThousandMembers() {
    long base = base();
    List<GroupMember> members = new ArrayList<>();
    for (int i = 10_000; i > 0; i--) {
      members.add(new GroupMember(base + i, "n" + i, i % 3, 0, ""));
    }
    long id = await(store.create(Group.named("big"), members));

    List<GroupMember> listed = await(store.members(id));
    assertThat(listed)
        .hasSize(10_000)
        .isSortedAccordingTo((a, b) -> Long.compare(a.userId(), b.userId()));
    assertThat(listed).containsExactlyInAnyOrderElementsOf(members);

    List<GroupMember> more = new ArrayList<>();
    for (int i = 10_001; i <= 20_000; i++) {
      more.add(GroupMember.of(base + i));
    }
    more.add(GroupMember.of(base + 5_000)); // a member already: nothing is added
    assertThat(code(store.addMembers(id, more))).isEqualTo(GimErrorCode.ALREADY_IN_GROUP.code());
    assertThat(await(store.members(id))).hasSize(10_000);

    List<Long> odd = new ArrayList<>();
    for (int i = 1; i <= 10_000; i += 2) {
      odd.add(base + i);
    }
    await(store.removeMembers(id, odd));
    assertThat(await(store.members(id)))
        .hasSize(5_000)
        .allSatisfy(m -> assertThat((m.userId() - base) % 2).isZero());
  }

  /**
   * Adds and removes only ever name both users of a pair; if each call is all or nothing, no one
   * ever sees, or is left with, half a pair.
   */
  @Test
  void concurrentAddsAndRemovesNeverSplitAPair() throws Exception {
    long base = base();
    int pairs = 40;
    long id = await(store.create(Group.named("storm"), List.of()));
    AtomicInteger changed = new AtomicInteger();
    AtomicInteger refused = new AtomicInteger();
    List<String> split = new ArrayList<>();

    ExecutorService pool = Executors.newFixedThreadPool(9);
    try {
      List<Future<?>> tasks = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        tasks.add(
            pool.submit(
                () -> {
                  ThreadLocalRandom random = ThreadLocalRandom.current();
                  for (int op = 0; op < 150; op++) {
                    Set<Long> users = new HashSet<>();
                    for (int k = random.nextInt(1, 4); k > 0; k--) {
                      int pair = random.nextInt(pairs);
                      users.add(base + pair);
                      users.add(base + 1_000 + pair);
                    }
                    CompletionStage<Void> call =
                        random.nextBoolean()
                            ? store.addMembers(id, users.stream().map(GroupMember::of).toList())
                            : store.removeMembers(id, users);
                    Integer code = outcome(call);
                    if (code == null) {
                      changed.incrementAndGet();
                    } else {
                      assertThat(code)
                          .isIn(
                              GimErrorCode.ALREADY_IN_GROUP.code(),
                              GimErrorCode.GROUP_MEMBER_NOT_FOUND.code());
                      refused.incrementAndGet();
                    }
                  }
                  return null;
                }));
      }
      Future<?> reader =
          pool.submit(
              () -> {
                while (!tasks.stream().allMatch(Future::isDone)) {
                  String broken = halfPair(await(store.members(id)), base);
                  if (broken != null) {
                    synchronized (split) {
                      split.add(broken);
                    }
                  }
                }
                return null;
              });
      for (Future<?> task : tasks) {
        task.get(25, TimeUnit.SECONDS);
      }
      reader.get(25, TimeUnit.SECONDS);
    } finally {
      pool.shutdownNow();
    }

    assertThat(split).isEmpty();
    assertThat(halfPair(await(store.members(id)), base)).isNull();
    assertThat(changed).hasPositiveValue();
    assertThat(refused).hasPositiveValue();
  }

  /** A user whose pair is half present, or null. */
  private static String halfPair(List<GroupMember> members, long base) {
    Set<Long> ids = new HashSet<>();
    members.forEach(m -> ids.add(m.userId()));
    for (long user : ids) {
      long twin = user - base >= 1_000 ? user - 1_000 : user + 1_000;
      if (!ids.contains(twin)) {
        return "user " + user + " without " + twin + " in " + ids;
      }
    }
    return null;
  }

  private static <T> T await(CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().get(20, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("stage failed: " + e, e);
    }
  }

  /** The wire code of the stage's failure, or null when it succeeded. */
  private static Integer outcome(CompletionStage<?> stage) {
    try {
      stage.toCompletableFuture().get(20, TimeUnit.SECONDS);
      return null;
    } catch (ExecutionException e) {
      return GimException.from(e.getCause()).code();
    } catch (Exception e) {
      throw new AssertionError("stage did not complete: " + e, e);
    }
  }

  private static int code(CompletionStage<?> stage) {
    Integer code = outcome(stage);
    assertThat(code).as("the stage should have failed").isNotNull();
    return code;
  }
}
