package io.gim.store.jdbc;

/** {@link RollbackChecks} on H2 file database. */
class JdbcH2RollbackTest extends RollbackChecks {
  @Override
  protected JdbcStores openWithOneConnection() {
    return JdbcStores.builder()
        .url("jdbc:h2:file:" + TestDatabases.tempDir().resolve("gim"))
        .maxPoolSize(1)
        .build();
  }
}
