package io.gim.store.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.gim.spi.store.Device;
import io.gim.spi.store.DeviceType;
import io.gim.store.redis.TestRedis;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The steps of a device save, replayed one by one in the orders that concurrent saves and failures
 * can produce: after each step, {@code get} and {@code list} agree on who has the device.
 */
class RedisDeviceStoreStepsTest {
  private String prefix;
  private Keys keys;
  private RedisTarget target;
  private RedisDeviceStore store;
  private long first;
  private long second;
  private long id;

  boolean cluster() {
    return false;
  }

  @BeforeEach
  void open() {
    prefix = TestRedis.prefix();
    keys = new Keys(prefix);
    target =
        RedisTarget.connect(
            cluster() ? TestRedis.clusterClient() : TestRedis.singleClient(),
            false,
            Duration.ofSeconds(5));
    store = new RedisDeviceStore(target, keys);
    first = ThreadLocalRandom.current().nextLong(1, 1L << 40) * 1_000_000L;
    second = first + 1;
    id = first + 500;
  }

  @AfterEach
  void close() {
    target.close();
    TestRedis.deleteKeys(cluster(), prefix);
  }

  private Device device(long user) {
    return new Device(id, user, DeviceType.ANDROID, "b", "m" + user, "s", "k", "p");
  }

  private void save(long user) {
    await(store.save(device(user)));
  }

  /** Who the device's record names (0: none), checked against every user's list. */
  private long owner() {
    long owner = await(store.get(id)).map(Device::userId).orElse(0L);
    for (long user : List.of(first, second)) {
      List<Long> listed = await(store.list(user)).stream().map(Device::id).toList();
      assertThat(listed)
          .as("list of user %d when the owner is %d", user, owner)
          .isEqualTo(user == owner ? List.of(id) : List.of());
    }
    return owner;
  }

  private List<Long> indexed(long user) {
    return await(target.call(c -> c.hkeys(keys.user(user, "devices")))).stream()
        .map(Keys::parse)
        .toList();
  }

  @Test
  void aMoveShowsTheOldOwnerUntilTheRecordIsWrittenAndTheNewOneAfter() {
    save(first);
    long version = await(store.version(id));
    assertThat(owner()).isEqualTo(first);

    await(store.index(device(second), version));
    assertThat(owner()).as("stopped after indexing").isEqualTo(first);

    RedisDeviceStore.Put put = await(store.put(device(second), version));
    assertThat(owner()).as("stopped after writing").isEqualTo(second);
    assertThat(indexed(first)).containsExactly(id);

    await(store.tidy(device(second), version, put));
    assertThat(owner()).isEqualTo(second);
    assertThat(indexed(first)).isEmpty();
  }

  @Test
  void aNewDeviceIsNowhereUntilItsRecordIsWritten() {
    long version = await(store.version(id));
    await(store.index(device(first), version));

    assertThat(owner()).isZero();
  }

  @Test
  void anOlderSaveArrivingLastChangesNothingAndDropsItsOwnEntry() {
    long older = await(store.version(id));
    long newer = await(store.version(id));
    await(store.index(device(first), newer));
    await(store.tidy(device(first), newer, await(store.put(device(first), newer))));

    await(store.index(device(second), older));
    RedisDeviceStore.Put put = await(store.put(device(second), older));
    assertThat(put.written()).isFalse();
    await(store.tidy(device(second), older, put));

    assertThat(owner()).isEqualTo(first);
    assertThat(await(store.get(id))).contains(device(first));
    assertThat(indexed(second)).isEmpty();
  }

  /**
   * The newest save of a user indexes first; an older save of the same user then finishes, and a
   * save for another user moves the device away and drops the older save's entry. The newest save
   * then writes: its user must still list the device.
   */
  @Test
  void anEntryKeepsItsHighestVersionSoThatAMoveAwayCannotUnlistALaterSave() {
    long older = await(store.version(id));
    long middle = await(store.version(id));
    long newest = await(store.version(id));
    await(store.index(device(first), newest));

    await(store.index(device(first), older));
    await(store.tidy(device(first), older, await(store.put(device(first), older))));
    await(store.index(device(second), middle));
    await(store.tidy(device(second), middle, await(store.put(device(second), middle))));
    assertThat(owner()).isEqualTo(second);

    await(store.tidy(device(first), newest, await(store.put(device(first), newest))));
    assertThat(owner()).isEqualTo(first);
    assertThat(indexed(second)).isEmpty();
  }

  private static <T> T await(CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("stage failed: " + e, e);
    }
  }
}
