package io.gim.core.memory;

import io.gim.spi.store.MessageStore;
import io.gim.testkit.contract.MessageStoreContract;

class InMemoryMessageStoreTest extends MessageStoreContract {
  @Override
  protected MessageStore createStore() {
    return new InMemoryMessageStore();
  }
}
