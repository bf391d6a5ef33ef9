package io.gim.store.jdbc;

import javax.sql.DataSource;

/** {@link LifecycleChecks} on MariaDB, where queued small appends are group-committed. */
class MariaDbLifecycleIT extends LifecycleChecks {
  @Override
  protected DataSource target() {
    return TestDatabases.pool(DatabaseAvailability.MARIADB);
  }
}
