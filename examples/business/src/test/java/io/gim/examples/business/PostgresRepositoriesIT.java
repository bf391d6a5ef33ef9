package io.gim.examples.business;

/** The repositories on the machine's PostgreSQL (a database or schema of their own). */
class PostgresRepositoriesIT extends RepositoriesContract {
  @Override
  TestDatabase database() {
    return TestDatabase.postgres();
  }
}
