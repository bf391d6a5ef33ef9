package io.gim.examples.business;

/** The repositories on the machine's MariaDB (a database or schema of their own). */
class MariaDbRepositoriesIT extends RepositoriesContract {
  @Override
  TestDatabase database() {
    return TestDatabase.mariadb();
  }
}
