package io.gim.store.jdbc;

import io.gim.spi.store.GroupStore;
import io.gim.testkit.contract.GroupStoreContract;

/** The group store contract on MariaDb; one shared store, random ids per test. */
class MariaDbGroupStoreIT extends GroupStoreContract {
  @Override
  protected GroupStore createStore() {
    return TestDatabases.mariadb().groups();
  }
}
