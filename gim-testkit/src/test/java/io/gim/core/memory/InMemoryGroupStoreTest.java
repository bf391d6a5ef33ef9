package io.gim.core.memory;

import io.gim.spi.store.GroupStore;
import io.gim.testkit.contract.GroupStoreContract;

class InMemoryGroupStoreTest extends GroupStoreContract {
  @Override
  protected GroupStore createStore() {
    return new InMemoryGroupStore();
  }
}
