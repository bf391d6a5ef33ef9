package io.gim.store.jdbc;

import java.time.Duration;

/** The message store contract on PostgreSQL; one shared store, random ids per test. */
class PostgresMessageStoreIT extends JdbcMessageStoreContract {
  @Override
  protected JdbcStores shared() {
    return TestDatabases.postgres();
  }

  @Override
  protected IsolatedDatabase isolate(Duration inboxRetention) throws Exception {
    return IsolatedDatabase.postgres(inboxRetention);
  }
}
