package io.gim.store.jdbc;

import io.gim.spi.store.GroupStore;
import io.gim.testkit.contract.GroupStoreContract;

/** The group store contract on H2; one shared store, random ids per test. */
class JdbcH2GroupStoreTest extends GroupStoreContract {
  @Override
  protected GroupStore createStore() {
    return TestDatabases.h2().groups();
  }
}
