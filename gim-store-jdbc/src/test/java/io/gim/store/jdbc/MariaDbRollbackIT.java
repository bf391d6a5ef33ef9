package io.gim.store.jdbc;

/** {@link RollbackChecks} on MariaDB. */
class MariaDbRollbackIT extends RollbackChecks {
  @Override
  protected JdbcStores openWithOneConnection() {
    DatabaseAvailability.Server s = DatabaseAvailability.require(DatabaseAvailability.MARIADB);
    return JdbcStores.builder()
        .url(s.url())
        .user(s.user())
        .password(s.password())
        .maxPoolSize(1)
        .build();
  }
}
