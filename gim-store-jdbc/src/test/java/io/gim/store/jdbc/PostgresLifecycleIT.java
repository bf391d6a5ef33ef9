package io.gim.store.jdbc;

import javax.sql.DataSource;

/** {@link LifecycleChecks} on PostgreSQL, where queued small appends are group-committed. */
class PostgresLifecycleIT extends LifecycleChecks {
  @Override
  protected DataSource target() {
    return TestDatabases.pool(DatabaseAvailability.POSTGRES);
  }
}
