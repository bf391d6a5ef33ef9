package io.gim.store.jdbc;

import java.time.Duration;

/** The message store contract on MariaDB; one shared store, random ids per test. */
class MariaDbMessageStoreIT extends JdbcMessageStoreContract {
  @Override
  protected JdbcStores shared() {
    return TestDatabases.mariadb();
  }

  @Override
  protected IsolatedDatabase isolate(Duration inboxRetention) throws Exception {
    return IsolatedDatabase.mariadb(inboxRetention);
  }
}
