package io.gim.store.jdbc;

/** {@link GroupCommitChecks} on PostgreSQL. */
class PostgresGroupCommitIT extends GroupCommitChecks {
  @Override
  protected DatabaseAvailability.Server server() {
    return DatabaseAvailability.POSTGRES;
  }
}
