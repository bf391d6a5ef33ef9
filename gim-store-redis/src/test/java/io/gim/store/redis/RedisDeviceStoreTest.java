package io.gim.store.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.gim.spi.store.Device;
import io.gim.spi.store.DeviceStore;
import io.gim.spi.store.DeviceType;
import io.gim.store.redis.internal.Keys;
import io.gim.testkit.contract.DeviceStoreContract;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.codec.ByteArrayCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The device store contract on the machine's single Redis, and this store's own promises: a device
 * that changes users is listed by its new user only, even when saves race ({@code
 * RedisDeviceStoreStepsTest} replays saves that stop half way).
 */
class RedisDeviceStoreTest extends DeviceStoreContract {
  private RedisStores stores;
  private String prefix;
  private Keys keys;

  boolean cluster() {
    return false;
  }

  @Override
  protected DeviceStore createStore() {
    prefix = TestRedis.prefix();
    keys = new Keys(prefix);
    stores = cluster() ? TestRedis.cluster(prefix) : TestRedis.single(prefix);
    return stores.devices();
  }

  @Override
  protected void closeStore(DeviceStore store) {
    stores.close();
    TestRedis.deleteKeys(cluster(), prefix);
  }

  private static long base() {
    return ThreadLocalRandom.current().nextLong(1, 1L << 40) * 1_000_000L;
  }

  private static Device device(long id, long user, String model) {
    return new Device(id, user, DeviceType.IOS, "brand", model, "17", "1.0", "push");
  }

  @Test
  void keepsEveryFieldAndSixtyFourBitIdsExact() {
    // Neighbours above 2^53 would collapse into one number if anything took them for a double.
    long user = (1L << 62) + 1;
    List<Device> saved = new ArrayList<>();
    for (DeviceType type : DeviceType.values()) {
      long id = Long.MAX_VALUE - type.ordinal();
      Device d = new Device(id, user, type, "ßrand", "módel 😀", "", "sdk", "push-" + type);
      assertThat(await(store.save(d))).isEqualTo(id);
      saved.add(0, d);
    }
    assertThat(await(store.list(user))).containsExactlyElementsOf(saved);
    assertThat(await(store.list(user + 1))).isEmpty();
    assertThat(await(store.get(Long.MAX_VALUE))).contains(saved.get(saved.size() - 1));
  }

  @Test
  void aDeviceSavedForAnotherUserMovesToThatUsersList() {
    long first = base();
    long second = first + 1;
    long id = await(store.save(device(0, first, "phone")));
    Device moved = device(id, second, "phone");

    assertThat(await(store.save(moved))).isEqualTo(id);
    assertThat(await(store.get(id))).contains(moved);
    assertThat(await(store.list(first))).isEmpty();
    assertThat(await(store.list(second))).containsExactly(moved);
    assertThat(indexed(first)).as("the first user's index").isEmpty();
  }

  @Test
  void concurrentSavesOfOneDeviceForSeveralUsersLeaveItWithOneOwner() throws Exception {
    long users = base();
    long id = base() + 17;
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> tasks = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int task = t;
        tasks.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < 40; i++) {
                    long user = users + ThreadLocalRandom.current().nextInt(4);
                    assertThat(await(store.save(device(id, user, task + "-" + i)))).isEqualTo(id);
                  }
                  return null;
                }));
      }
      for (Future<?> task : tasks) {
        task.get(25, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    Device last = await(store.get(id)).orElseThrow();
    for (long user = users; user < users + 4; user++) {
      if (user == last.userId()) {
        assertThat(await(store.list(user))).containsExactly(last);
        assertThat(indexed(user)).containsExactly(id);
      } else {
        assertThat(await(store.list(user))).isEmpty();
        assertThat(indexed(user)).as("index of user %d", user).isEmpty();
      }
    }
  }

  /** The device ids in a user's index. */
  private List<Long> indexed(long user) {
    return raw(c -> c.hkeys(keys.user(user, "devices"))).stream().map(Keys::parse).toList();
  }

  private <T> T raw(Function<RedisClusterCommands<byte[], byte[]>, T> command) {
    if (cluster()) {
      try (var c = TestRedis.clusterClient().connect(ByteArrayCodec.INSTANCE)) {
        // The client rejects commands to a node it has no connection to yet: open them first.
        for (RedisClusterNode node : c.getPartitions()) {
          if (node.is(RedisClusterNode.NodeFlag.UPSTREAM)) {
            c.getConnection(node.getUri().getHost(), node.getUri().getPort());
          }
        }
        return command.apply(c.sync());
      }
    }
    try (var c = TestRedis.singleClient().connect(ByteArrayCodec.INSTANCE)) {
      return command.apply(c.sync());
    }
  }

  private static <T> T await(CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().get(20, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("stage failed: " + e, e);
    }
  }
}
