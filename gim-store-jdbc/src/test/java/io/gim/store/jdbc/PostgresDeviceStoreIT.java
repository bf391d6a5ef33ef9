package io.gim.store.jdbc;

import io.gim.spi.store.DeviceStore;
import io.gim.testkit.contract.DeviceStoreContract;

/** The device store contract on Postgres; one shared store, random ids per test. */
class PostgresDeviceStoreIT extends DeviceStoreContract {
  @Override
  protected DeviceStore createStore() {
    return TestDatabases.postgres().devices();
  }
}
