package io.gim.store.jdbc;

import java.time.Duration;

/** The message store contract on H2; one shared store, random ids per test. */
class JdbcH2MessageStoreTest extends JdbcMessageStoreContract {
  @Override
  protected JdbcStores shared() {
    return TestDatabases.h2();
  }

  @Override
  protected IsolatedDatabase isolate(Duration inboxRetention) throws Exception {
    return IsolatedDatabase.h2(inboxRetention);
  }
}
