package io.gim.store.jdbc;

/** {@link GroupCommitChecks} on an H2 file database. */
class JdbcH2GroupCommitTest extends GroupCommitChecks {
  @Override
  protected DatabaseAvailability.Server server() {
    return new DatabaseAvailability.Server(
        "H2", "jdbc:h2:file:" + TestDatabases.tempDir().resolve("gim"), "", "");
  }
}
