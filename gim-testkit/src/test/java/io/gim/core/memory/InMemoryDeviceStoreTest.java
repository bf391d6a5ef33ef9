package io.gim.core.memory;

import io.gim.spi.store.DeviceStore;
import io.gim.testkit.contract.DeviceStoreContract;

class InMemoryDeviceStoreTest extends DeviceStoreContract {
  @Override
  protected DeviceStore createStore() {
    return new InMemoryDeviceStore();
  }
}
