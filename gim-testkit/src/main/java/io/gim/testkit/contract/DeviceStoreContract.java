package io.gim.testkit.contract;

import static io.gim.testkit.contract.Stages.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.gim.spi.store.Device;
import io.gim.spi.store.DeviceStore;
import io.gim.spi.store.DeviceType;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The contract of {@link DeviceStore}: id allocation, insert-or-replace, lists ordered by id.
 *
 * <p>Extend it and implement {@link #createStore()}; override {@link #closeStore(DeviceStore)} to
 * release the store. Each test uses its own random user and device ids.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
public abstract class DeviceStoreContract {
  /** The store under test, created before each test. */
  protected DeviceStore store;

  private long userBase;

  /** A new store, or a shared one: tests never reuse each other's ids. */
  protected abstract DeviceStore createStore() throws Exception;

  /** Releases a store made by {@link #createStore()}; does nothing by default. */
  protected void closeStore(DeviceStore store) throws Exception {}

  @BeforeEach
  final void setUpStore() throws Exception {
    userBase = Stages.randomBase();
    store = createStore();
  }

  @AfterEach
  final void tearDownStore() throws Exception {
    closeStore(store);
  }

  private Device device(long id, int user, String model) {
    return new Device(id, userBase + user, DeviceType.ANDROID, "brand", model, "14", "1.0", "push");
  }

  @Test
  void saveWithIdZeroAllocatesDistinctIds() {
    long first = await(store.save(device(0, 1, "a")));
    long second = await(store.save(device(0, 1, "b")));

    assertThat(first).isNotZero().isNotEqualTo(second);
    assertThat(await(store.get(first))).contains(device(first, 1, "a"));
    assertThat(await(store.get(second))).contains(device(second, 1, "b"));
  }

  @Test
  void saveOfAnExistingIdReplacesTheDevice() {
    long id = await(store.save(device(0, 1, "old")));
    Device replacement =
        new Device(id, userBase + 1, DeviceType.IOS, "b2", "new", "17", "2.0", "p2");

    assertThat(await(store.save(replacement))).isEqualTo(id);
    assertThat(await(store.get(id))).contains(replacement);
    assertThat(await(store.list(userBase + 1))).containsExactly(replacement);
  }

  @Test
  void saveWithAnExplicitNewIdKeepsIt() {
    long id = Stages.randomBase() + 42;
    assertThat(await(store.save(device(id, 1, "x")))).isEqualTo(id);
    assertThat(await(store.get(id))).contains(device(id, 1, "x"));
  }

  @Test
  void listsAUsersDevicesOrderedById() {
    long high = Stages.randomBase() + 900;
    long low = high - 800;
    await(store.save(device(high, 1, "high")));
    await(store.save(device(low, 1, "low")));
    await(store.save(device(0, 2, "other user")));

    assertThat(await(store.list(userBase + 1)))
        .containsExactly(device(low, 1, "low"), device(high, 1, "high"));
  }

  @Test
  void getOfAMissingDeviceIsEmpty() {
    assertThat(await(store.get(Stages.randomBase() + 1))).isEmpty();
  }

  @Test
  void listOfAUserWithoutDevicesIsEmpty() {
    assertThat(await(store.list(userBase + 3))).isEmpty();
  }
}
