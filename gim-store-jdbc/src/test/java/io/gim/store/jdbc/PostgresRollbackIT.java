package io.gim.store.jdbc;

/** {@link RollbackChecks} on PostgreSQL. */
class PostgresRollbackIT extends RollbackChecks {
  @Override
  protected JdbcStores openWithOneConnection() {
    DatabaseAvailability.Server s = DatabaseAvailability.require(DatabaseAvailability.POSTGRES);
    return JdbcStores.builder()
        .url(s.url())
        .user(s.user())
        .password(s.password())
        .maxPoolSize(1)
        .build();
  }
}
