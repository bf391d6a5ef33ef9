package io.gim.store.jdbc;

import io.gim.spi.store.MessageStore;
import io.gim.testkit.contract.MessageStoreContract;

/** The message store contract on Postgres; one shared store, random ids per test. */
class PostgresMessageStoreIT extends MessageStoreContract {
  @Override
  protected MessageStore createStore() {
    return TestDatabases.postgres().messages();
  }
}
