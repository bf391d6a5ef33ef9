package io.gim.store.jdbc;

import io.gim.spi.store.GroupStore;
import io.gim.testkit.contract.GroupStoreContract;

/** The group store contract on Postgres; one shared store, random ids per test. */
class PostgresGroupStoreIT extends GroupStoreContract {
  @Override
  protected GroupStore createStore() {
    return TestDatabases.postgres().groups();
  }
}
