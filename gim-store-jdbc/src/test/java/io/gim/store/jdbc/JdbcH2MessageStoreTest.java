package io.gim.store.jdbc;

import io.gim.spi.store.MessageStore;
import io.gim.testkit.contract.MessageStoreContract;

/** The message store contract on H2; one shared store, random ids per test. */
class JdbcH2MessageStoreTest extends MessageStoreContract {
  @Override
  protected MessageStore createStore() {
    return TestDatabases.h2().messages();
  }
}
