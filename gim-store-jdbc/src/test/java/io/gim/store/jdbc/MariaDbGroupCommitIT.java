package io.gim.store.jdbc;

/** {@link GroupCommitChecks} on MariaDB. */
class MariaDbGroupCommitIT extends GroupCommitChecks {
  @Override
  protected DatabaseAvailability.Server server() {
    return DatabaseAvailability.MARIADB;
  }
}
