package io.gim.store.jdbc;

import io.gim.spi.store.DeviceStore;
import io.gim.testkit.contract.DeviceStoreContract;

/** The device store contract on H2; one shared store, random ids per test. */
class JdbcH2DeviceStoreTest extends DeviceStoreContract {
  @Override
  protected DeviceStore createStore() {
    return TestDatabases.h2().devices();
  }
}
